"""What the network contributes to each role's home page (see core.registry): the page's heading, the menu
entries of the network's pages, and the classes, staff, children and organisations the person works with."""

from django.urls import reverse

from access.policy import can_administer_system, home_municipality_id, home_school_id
from access.services import personal_data_read_log
from core.formatting import count_text
from core.registry import Heading, MenuItem, Panel, registry
from directory import selectors

STUDENTS = ("обучающийся", "обучающихся", "обучающихся")


@registry.heading("directory", order=10)
def heading(ctx) -> Heading | None:
    viewer = ctx.viewer
    if ctx.kind == "republic":
        return Heading(
            "Республика Северная Осетия-Алания", "Профориентация обучающихся 6–11 классов по муниципалитетам.", page_title="Республика"
        )
    if ctx.kind == "municipality" and (pk := home_municipality_id(viewer)):
        municipality = selectors.municipality_get(viewer=viewer, pk=pk)
        return Heading(municipality.name, "Школы муниципалитета и профориентация их обучающихся.")
    if ctx.kind == "school" and (pk := home_school_id(viewer)):
        school = selectors.organization_get(viewer=viewer, pk=pk)
        return Heading(school.short_name, school.municipality.name if school.municipality_id else "")
    titles = {"teacher": "Мои классы", "parent": "Мои дети", "student": "Мой план", "partner": "Моя организация", "jury": "Мои конкурсы"}
    if ctx.kind in titles:
        return Heading(titles[ctx.kind])
    return None


@registry.menu("directory.home", order=0)
def home_menu(ctx) -> MenuItem:
    labels = {
        "republic": "Республика", "municipality": "Мой муниципалитет", "school": "Моя школа", "teacher": "Мои классы",
        "parent": "Мои дети", "student": "Мой план", "partner": "Моя организация", "jury": "Мои конкурсы",
    }  # fmt: skip
    return MenuItem(labels.get(ctx.kind, "Главная"), reverse("portal:home"))


@registry.menu("directory.search", order=30)
def search_menu(ctx) -> MenuItem | None:
    if ctx.kind in {"republic", "municipality", "school", "teacher"}:
        return MenuItem("Поиск обучающихся", reverse("directory:student_search"))
    return None


@registry.menu("directory.organizations", order=40)
def organizations_menu(ctx) -> MenuItem | None:
    # Every role may open the list: colleges, universities and employers are public facts of the network.
    if ctx.kind != "none":
        return MenuItem("Организации", reverse("directory:organization_list"))
    return None


@registry.menu("directory.admin", order=90)
def admin_menu(ctx) -> MenuItem | None:
    """The reference data and accounts of the republic, for those who administer the system."""
    if ctx.kind == "republic" and can_administer_system(ctx.viewer):
        return MenuItem("Администрирование", reverse("admin:index"))
    return None


@registry.panel("directory.children", order=20)
def children_panel(ctx) -> Panel | None:
    """A parent's children come first on their home, before what each domain says about them."""
    if ctx.kind == "parent":
        return Panel("Дети", "directory/panels/children.html", {"children": selectors.children_list(viewer=ctx.viewer)}, wide=True)
    return None


# The republic's municipalities and a municipality's schools, with their students, come from the domain that
# keeps student counts in its rollups: the network does not group the students table on every visit.
@registry.panel("directory", order=50)
def panels(ctx) -> list[Panel] | None:
    viewer = ctx.viewer
    if ctx.kind == "school" and (pk := home_school_id(viewer)):
        school = selectors.organization_get(viewer=viewer, pk=pk)
        classes = list(selectors.school_class_list(viewer=viewer, school=school))
        total = sum(c.student_count for c in classes)
        return [
            Panel(
                f"Классы: {count_text(total, *STUDENTS)}",
                "directory/panels/classes.html",
                {"classes": classes},
                wide=True,
            ),
            Panel(
                "Сотрудники", "directory/panels/staff.html", {"staff": selectors.staff_list(viewer=viewer, organization=school)}, wide=True
            ),
        ]
    if ctx.kind == "teacher":
        return [
            Panel("Классы", "directory/panels/teacher_classes.html", {"classes": selectors.teacher_class_list(viewer=viewer)}, wide=True)
        ]
    if ctx.kind == "student" and viewer.own_student_id:
        card = selectors.student_card(viewer=viewer, pk=viewer.own_student_id, with_history=False)
        personal_data_read_log(user=ctx.request.user, subject="своя карточка", channel="page", person_id=card.student.person_id)
        return [Panel("Где я учусь", "directory/panels/my_school.html", {"card": card})]
    if ctx.kind == "partner":
        organizations = [selectors.organization_get(viewer=viewer, pk=pk) for pk in sorted(viewer.partner_org_ids)]
        return [Panel(org.short_name, "directory/panels/organization.html", {"organization": org}) for org in organizations]
    if ctx.kind == "jury":
        return [
            Panel(
                "Конкурсы",
                "directory/panels/text.html",
                {
                    "text": "Вы включены в экспертное сообщество. Когда региональный оператор назначит вас в жюри конкурса, "
                    "работы для оценки появятся здесь."
                },
            )
        ]
    return None
