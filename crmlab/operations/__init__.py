"""CRM operations analytics: the sales funnel (销售漏斗, lesson 16) and customer service (客户服务, lesson 17)."""
from crmlab.operations.funnel import (
    DEFAULT_WIN_PROBABILITY, STAGES, cycle_time, forecast_track, forecast_vs_actual, stage_conversion,
    stage_durations, weighted_forecast, win_probability, win_rate,
)
from crmlab.operations.service import (
    SATISFACTION_GROUPS, SERVICE_GROUPS, churn_by_satisfaction, service_churn_link, service_experience,
    service_level, service_times, three_controls,
)

__all__ = [
    "DEFAULT_WIN_PROBABILITY", "SATISFACTION_GROUPS", "SERVICE_GROUPS", "STAGES", "churn_by_satisfaction",
    "cycle_time", "forecast_track", "forecast_vs_actual", "service_churn_link", "service_experience",
    "service_level", "service_times", "stage_conversion", "stage_durations", "three_controls",
    "weighted_forecast", "win_probability", "win_rate",
]
