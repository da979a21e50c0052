from django.urls import include, path

from . import views

notification_patterns = [
    path("", views.notification_list, name="notification-list"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("settings/", views.notification_settings, name="notification-settings"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
]

# The home page keeps its plain name "home" (every page's brand link); the rest is "desk:".
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", include((notification_patterns, "desk"))),
]
