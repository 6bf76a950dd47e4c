# People's models (persons, students, parent links, roles, class assignments) are administered from
# access/admin.py: what those pages offer and accept is decided by the access policy's grant table, and every
# one of them that shows a person's data writes the read log — both live in access, above people.
