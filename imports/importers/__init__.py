"""The kinds of file the platform loads, by their `kind` (ImportBatch.Kind)."""

from imports.importers.additional import IMPORTER as ADDITIONAL
from imports.importers.classes import IMPORTER as CLASSES
from imports.importers.programmes import IMPORTER as PROGRAMMES
from imports.importers.schools import IMPORTER as SCHOOLS
from imports.importers.staff import IMPORTER as STAFF
from imports.importers.students import IMPORTER as STUDENTS
from imports.importers.ticket import IMPORTER as TICKET

IMPORTERS = {
    STUDENTS.kind: STUDENTS,
    STAFF.kind: STAFF,
    CLASSES.kind: CLASSES,
    ADDITIONAL.kind: ADDITIONAL,
    TICKET.kind: TICKET,
    SCHOOLS.kind: SCHOOLS,
    PROGRAMMES.kind: PROGRAMMES,
}
