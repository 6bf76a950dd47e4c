"""Events of the regional network that the apps above follow (an app connects its receiver in its AppConfig.ready;
orgs never imports them). Receivers run inside the sender's transaction: what they write commits or rolls back
with it."""

from django.dispatch import Signal

# A school moved to another municipality: sent with school=<Organization>, previous=<Municipality or None>,
# municipality=<Municipality>. Whatever is counted by municipality (the профминимум's rollups) follows.
school_municipality_changed = Signal()
