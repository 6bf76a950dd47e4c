"""The sectors an offer, a route or a mentor belongs to: the industries of the course «Россия — мои горизонты»
(its industry lessons). A code is what is stored and what the recommendations match on."""

SECTORS: tuple[tuple[str, str], ...] = (
    ("industry", "промышленность и производство"),
    ("engineering", "инженерное дело и техника"),
    ("energy", "энергетика"),
    ("construction", "строительство и архитектура"),
    ("transport", "транспорт и логистика"),
    ("agriculture", "сельское хозяйство и агропромышленность"),
    ("food", "пищевая промышленность и общественное питание"),
    ("medicine", "здравоохранение и медицина"),
    ("education", "образование"),
    ("it", "информационные технологии и связь"),
    ("science", "наука и исследования"),
    ("finance", "экономика, финансы и торговля"),
    ("tourism", "туризм, гостеприимство и сервис"),
    ("culture", "культура, искусство и дизайн"),
    ("public", "государственное управление, право и безопасность"),
    ("ecology", "экология и природопользование"),
)
SECTOR_LABELS = dict(SECTORS)
