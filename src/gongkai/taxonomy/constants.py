from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """The dimensions of the demand-side tag catalogue (需求侧政策标签, work plan item 十二)."""

    AUDIENCE = "audience", _("对象")
    INDUSTRY = "industry", _("行业")
    LIFE_EVENT = "life_event", _("生命周期")
    THEME = "theme", _("主题")
    REGION = "region", _("地域")


# The dimensions that say whom a policy is for (push matching); 主题 says what it is about.
AUDIENCE_DIMENSIONS = (Dimension.AUDIENCE, Dimension.INDUSTRY, Dimension.LIFE_EVENT, Dimension.REGION)

# Tag codes: the GB/T 4754 codes keep their official form (A, 01) under this prefix.
INDUSTRY_PREFIX = "industry-"
THEME_PREFIX = "theme-"
REGION_PREFIX = "region-"
