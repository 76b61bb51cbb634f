"""A vendor's scorecard shows the components of the kinds of engagement it has."""

from vendor_tracker.reporting.scorecard import Component, build_scorecard, shown_components


def test_components_follow_the_kinds_of_engagement():
    components = build_scorecard(None, None).components
    assert [c.component for c in shown_components(components, frozenset({"BPO"}))] == [
        Component.BPO_ATTAINMENT
    ]
    assert [c.component.model for c in shown_components(components, {"KPO"})] == ["KPO"] * 3
    assert len(shown_components(components, {"BPO", "KPO"})) == 4
    assert shown_components(components, frozenset()) == ()
