"""Who may do what with figures: one answer for the admin, bulk entry, the
upload and the commands. ``user=None`` stands for a trusted job run from the
command line, which may do anything."""

PUBLISH_PERMISSION = "measures.publish_figure"


def can_publish(user) -> bool:
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def can_enter(user) -> bool:
    return user is None or (
        user.has_perm("measures.add_figure") or user.has_perm("measures.change_figure")
    )


def can_revise(user) -> bool:
    """Whether ``user`` may change a figure the public already sees.

    Data entry may not: a published figure is corrected by a publisher, so
    that every public revision has been approved.
    """
    return can_publish(user)


BASELINE_PERMISSION = "measures.change_baselineoverride"


def can_set_baseline(user) -> bool:
    """Whether ``user`` may set a measure's baseline for an area: publishers,
    who approve what the public sees, since a baseline decides its statuses."""
    return user is None or user.has_perm(BASELINE_PERMISSION)
