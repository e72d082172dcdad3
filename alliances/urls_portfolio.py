"""Portfolio pages: every alliance of a person or an organisation, with its health."""

urlpatterns: list = []
