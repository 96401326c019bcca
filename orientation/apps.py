from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "orientation"
    verbose_name = "Orientation et protection"

    def ready(self):
        from orientation import journey
        from orientation.services import clocks

        journey.register()
        clocks.register()
