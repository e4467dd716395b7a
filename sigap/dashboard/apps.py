from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "sigap.dashboard"
