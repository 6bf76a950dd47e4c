"""Invented names for the demo region: common Ossetian and Russian surnames and first names, combined at
random, so every person in the demo is made up."""

import random

# Male forms; every one ends in «-ов» or «-ев», so the female form adds «а».
SURNAMES = (
    "Абаев", "Агузаров", "Базаев", "Бекоев", "Бестаев", "Бигаев", "Битаров", "Бязров", "Габараев", "Гагиев",
    "Гасиев", "Гатагонов", "Гобеев", "Гуриев", "Гутиев", "Дзагоев", "Дзантиев", "Дзгоев", "Дзиов", "Дзуцев",
    "Джиоев", "Зангиев", "Кабисов", "Караев", "Кесаев", "Козаев", "Кокоев", "Кочиев", "Кулаев", "Кусов",
    "Магкаев", "Макиев", "Марзоев", "Мильдзихов", "Моргоев", "Остаев", "Плиев", "Салбиев", "Сланов",
    "Тебиев", "Тедеев", "Техов", "Тотиев", "Туаев", "Хадиков", "Хамицев", "Хубаев", "Цаголов", "Цаликов",
    "Цаллагов", "Цомаев", "Цховребов",
    "Алексеев", "Андреев", "Васильев", "Волков", "Егоров", "Захаров", "Иванов", "Козлов", "Кузнецов",
    "Лебедев", "Макаров", "Михайлов", "Морозов", "Николаев", "Новиков", "Орлов", "Павлов", "Петров", "Попов",
    "Семенов", "Смирнов", "Соколов", "Степанов", "Федоров",
)  # fmt: skip

MALE_FIRST_NAMES = (
    "Азамат", "Алан", "Аслан", "Ацамаз", "Батраз", "Георгий", "Давид", "Заур", "Инал", "Казбек", "Марат",
    "Руслан", "Сармат", "Сослан", "Таймураз", "Тамерлан", "Хетаг", "Чермен", "Эльбрус", "Артур", "Тимур",
    "Александр", "Алексей", "Андрей", "Артём", "Вадим", "Владимир", "Дмитрий", "Иван", "Игорь", "Кирилл",
    "Константин", "Максим", "Михаил", "Никита", "Николай", "Олег", "Павел", "Роман", "Сергей", "Эдуард",
)  # fmt: skip

FEMALE_FIRST_NAMES = (
    "Агунда", "Алана", "Алина", "Амина", "Белла", "Дарина", "Дзерасса", "Диана", "Залина", "Зарина", "Лана",
    "Мадина", "Милана", "Сабина", "Фатима", "Элина", "Анастасия", "Анна", "Вероника", "Виктория", "Дарья",
    "Ева", "Екатерина", "Елена", "Жанна", "Злата", "Ирина", "Карина", "Кристина", "Ксения", "Людмила",
    "Мария", "Марина", "Наталья", "Ольга", "Полина", "Светлана", "Софья", "Татьяна", "Юлия",
)  # fmt: skip

# Patronymics that do not follow the regular endings.
_IRREGULAR_PATRONYMICS = {
    "Михаил": ("Михайлович", "Михайловна"),
    "Павел": ("Павлович", "Павловна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Никита": ("Никитич", "Никитична"),
}


def _patronymics(father_name: str) -> tuple[str, str]:
    """The son's and the daughter's patronymic from the father's first name."""
    if father_name in _IRREGULAR_PATRONYMICS:
        return _IRREGULAR_PATRONYMICS[father_name]
    if father_name.endswith("й"):  # Георгий → Георгиевич, Сергей → Сергеевич, Николай → Николаевич
        stem = father_name[:-1] + "ев"
    else:
        stem = father_name + "ов"
    return stem + "ич", stem + "на"


_PATRONYMICS = {name: _patronymics(name) for name in MALE_FIRST_NAMES}


def surname_form(surname: str, *, female: bool) -> str:
    return surname + "а" if female else surname


def patronymic(father_name: str, *, female: bool) -> str:
    return _PATRONYMICS[father_name][1 if female else 0]


class NameMaker:
    """Draws names from one random generator, so a seed gives the same people every time."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    def male_name(self) -> str:
        return self.rng.choice(MALE_FIRST_NAMES)

    def first_name(self, *, female: bool) -> str:
        return self.rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)

    def full_name(self, *, female: bool) -> tuple[str, str, str]:
        """(last, first, middle) of an unrelated adult."""
        return (
            surname_form(self.surname(), female=female),
            self.first_name(female=female),
            patronymic(self.male_name(), female=female),
        )
