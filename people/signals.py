"""Events of the network that the domains above follow (a domain connects its receiver in its AppConfig.ready;
people never imports a domain). Receivers run inside the sender's transaction: what they write commits or
rolls back with it."""

from django.dispatch import Signal

# A student moved to another class: sent with student=<Student>, school_class=<the new SchoolClass>, on=<date>.
placement_changed = Signal()
