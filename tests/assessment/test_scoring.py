"""The scoring rules with hand-worked numbers: each criterion's points, "not applicable" spread
over the others, ranks with ties, grades by thresholds."""

from decimal import Decimal

from django.utils import translation

from assessment.scoring import (
    NOT_APPLICABLE,
    Facts,
    Rule,
    criterion_item,
    final_score,
    grade_for,
    member_score,
    ranks,
)

D = Decimal
DEFAULT = [
    Rule("tasks", "任务完成情况", 30),
    Rule("indicators", "指标完成情况", 30),
    Rule("on_time", "按时报送", 15),
    Rule("achievements", "认定成果", 10, D(3)),
    Rule("urges", "被催办扣分", 10, D(2)),
    Rule("instructions", "领导批示办理", 5),
]


def points(rule, **facts):
    return criterion_item(rule, Facts(**facts)).points


def test_it_gives_task_points_for_the_share_done():
    assert points(DEFAULT[0], tasks_done=8, tasks_total=9) == D("26.7")  # 30 × 8/9 = 26.67


def test_it_caps_each_indicator_at_100_and_counts_one_without_figures_as_0():
    # (100 + 50 + 0) / 3 = 50% of 30
    assert points(DEFAULT[1], indicator_completions=[D(120), D(50), None]) == D("15.0")


def test_it_gives_on_time_points_for_the_share_on_time():
    assert points(DEFAULT[2], on_time=3, due=4) == D("11.3")  # 15 × 0.75 = 11.25


def test_achievements_earn_full_points_at_the_parameter():
    assert points(DEFAULT[3], achievements=5) == D("10.0")
    assert points(DEFAULT[3], achievements=1) == D("3.3")
    assert points(DEFAULT[3], achievements=0) == D("0.0")


def test_urges_take_points_off_down_to_zero():
    assert points(DEFAULT[4], urges=2) == D("6.0")
    assert points(DEFAULT[4], urges=6) == D("0.0")


def test_instructions_give_the_share_answered():
    assert points(DEFAULT[5], instructions_answered=1, instructions_total=2) == D("2.5")


def test_a_criterion_with_nothing_to_measure_does_not_apply():
    for rule in (DEFAULT[0], DEFAULT[1], DEFAULT[2], DEFAULT[5]):
        item = criterion_item(rule, Facts())
        assert item.points is None
        assert item.as_dict()["points"] == NOT_APPLICABLE
    # urges and achievements always apply
    assert points(DEFAULT[3]) == D("0.0")
    assert points(DEFAULT[4]) == D("10.0")


def test_the_weight_of_what_does_not_apply_is_spread_over_the_others():
    rules = [Rule("tasks", "任务", 60), Rule("urges", "催办", 40, D(2))]
    items, score = member_score(rules, Facts(urges=1))
    assert [item.points for item in items] == [None, D("38.0")]
    assert score == D("95.0")  # 100 × 38 / 40


def test_a_member_scored_on_every_criterion_gets_the_sum_of_its_points():
    facts = Facts(
        tasks_done=1,
        tasks_total=2,
        indicator_completions=[D(80)],
        on_time=3,
        due=4,
        achievements=2,
        urges=1,
        instructions_answered=1,
        instructions_total=1,
    )
    items, score = member_score(DEFAULT, facts)
    # 15 + 24 + 11.3 + 6.7 + 8 + 5
    assert [item.points for item in items] == [D(15), D(24), D("11.3"), D("6.7"), D(8), D(5)]
    assert score == D("70.0")


def test_scores_round_half_up_to_one_decimal():
    rules = [Rule("tasks", "任务", 70), Rule("urges", "催办", 30, D(1))]
    # tasks 70 × 1/8 = 8.75 → 8.8; score 100 × (8.8 + 30) / 100 = 38.8
    _items, score = member_score(rules, Facts(tasks_done=1, tasks_total=8))
    assert score == D("38.8")


def test_the_basis_says_why_in_words():
    with translation.override("zh-hans"):
        item = criterion_item(DEFAULT[0], Facts(tasks_done=8, tasks_total=9))
        assert item.basis == "完成 9 项任务中的 8 项（88.9%）。"
        assert "不适用" in criterion_item(DEFAULT[5], Facts()).basis
        # A task of several years on track has done the year's part.
        item = criterion_item(DEFAULT[0], Facts(tasks_done=1, tasks_on_track=6, tasks_total=9))
        assert item.points == D("23.3")  # 30 × 7/9
        assert item.basis == "9 项任务中已完成 1 项、按年度计划推进 6 项（77.8%）。"


def test_an_adjusted_score_stays_between_0_and_100():
    assert final_score(D("99.0"), D("5.0")) == D("100.0")
    assert final_score(D("2.0"), D("-5.0")) == D("0.0")
    assert final_score(D("80.0"), D("-2.5")) == D("77.5")


def test_equal_scores_share_a_rank_within_their_kind():
    scores = {
        "a": ("secondary", D(90)),
        "b": ("secondary", D(90)),
        "c": ("secondary", D(80)),
        "d": ("higher", D(70)),
    }
    assert ranks(scores) == {"a": 1, "b": 1, "c": 3, "d": 1}


def test_grades_follow_the_thresholds():
    thresholds = {"excellent_from": D(90), "good_from": D(80), "pass_from": D(60)}
    expected = {"90": "excellent", "89.9": "good", "80": "good", "60": "pass", "59.9": "fail"}
    for score, grade in expected.items():
        assert grade_for(D(score), **thresholds) == grade, score
