"""The kinds of file the platform loads, by their `kind` (ImportBatch.Kind)."""

from imports.importers.classes import IMPORTER as CLASSES
from imports.importers.staff import IMPORTER as STAFF
from imports.importers.students import IMPORTER as STUDENTS

IMPORTERS = {STUDENTS.kind: STUDENTS, STAFF.kind: STAFF, CLASSES.kind: CLASSES}
