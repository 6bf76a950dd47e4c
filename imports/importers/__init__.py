"""The kinds of file the platform loads, by their `kind` (ImportBatch.Kind)."""

from imports.importers.classes import IMPORTER as CLASSES
from imports.importers.students import IMPORTER as STUDENTS

IMPORTERS = {STUDENTS.kind: STUDENTS, CLASSES.kind: CLASSES}
