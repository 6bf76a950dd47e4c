"""Events of the network that the domains above follow (a domain connects its receiver in its AppConfig.ready;
people never imports a domain). Receivers run inside the sender's transaction: what they write commits or
rolls back with it."""

from django.dispatch import Signal

# A student moved to another class: sent with student=<Student>, school_class=<the new SchoolClass>, on=<date>.
placement_changed = Signal()

# Many students placed in classes of a school year at once, none of whom had a class in that year before (an
# import's new students, the changeover to a new school year): sent with school_year=<SchoolYear>,
# student_ids=[…], on=<date>.
students_placed = Signal()
