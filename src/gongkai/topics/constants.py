from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The level a document comes from: topic pages group by it (跨层级集成式发布, work plan item 十五)."""

    NATIONAL = "national", _("国家")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class Section(models.TextChoices):
    """The kinds of content a topic page shows, in page order."""

    POLICIES = "policies", _("政策文件")
    INTERPRETATIONS = "interpretations", _("政策解读")
    REFERENCES = "references", _("上级文件")
    SERVICES = "services", _("办事服务")
    PROGRESS = "progress", _("工作进展")
    FAQ = "faq", _("常见问题")


# Work plan item 十: projects with a budget of 1000万元 or more disclose their 预决算.
BUDGET_DISCLOSURE_THRESHOLD_WAN = 1000
MAX_PHOTO_BYTES = 10 * 1024 * 1024
