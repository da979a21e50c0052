from django.contrib import admin

from .models import (
    Delivery,
    Instruction,
    InstructionReply,
    LightChange,
    SupervisionPolicy,
    TaskLight,
    Urge,
    UrgeStep,
    Webhook,
)


@admin.register(TaskLight)
class TaskLightAdmin(admin.ModelAdmin):
    list_display = ["task", "member", "light", "reason", "since", "computed_on"]
    list_filter = ["light", "task__plan"]


@admin.register(LightChange)
class LightChangeAdmin(admin.ModelAdmin):
    list_display = ["task", "member", "previous", "light", "changed_on"]
    list_filter = ["light"]


admin.site.register(SupervisionPolicy)
admin.site.register(UrgeStep)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "recipient", "status", "attempts", "error", "sent_at"]
    exclude = ["notification", "webhook"]


@admin.register(Urge)
class UrgeAdmin(admin.ModelAdmin):
    list_display = ["member", "task", "origin", "created_at"]
    list_filter = ["origin"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["urge", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "is_active"]
    # The address holds the robot's token and the secret signs posts: not shown in lists.
    exclude = ["secret"]


class InstructionReplyInline(admin.TabularInline):
    model = InstructionReply
    extra = 0


@admin.register(Instruction)
class InstructionAdmin(admin.ModelAdmin):
    list_display = ["by", "created_at", "task", "submission", "report"]
    inlines = [InstructionReplyInline]
