"""Rules without the database: the case workflow table, the Status Keadaan Konflik limits of UU 7/2012, party
matching and the clock's stages."""

from datetime import UTC, date, datetime, timedelta

import pytest

from sigap.cases import rules
from sigap.cases.choices import CaseStatus as S
from sigap.cases.states import TRANSITIONS, CaseTransitionError, check_transition
from sigap.mediation.choices import MediationStatus as M
from sigap.mediation.states import TRANSITIONS as MEDIATION_TRANSITIONS
from sigap.mediation.states import MediationTransitionError
from sigap.mediation.states import check_transition as check_mediation


def test_every_case_status_has_its_row_and_only_the_listed_steps_pass():
    assert set(TRANSITIONS) == set(S)
    for current in S:
        for target in S:
            if target in TRANSITIONS[current]:
                check_transition(current, target)
            else:
                with pytest.raises(CaseTransitionError):
                    check_transition(current, target)


def test_a_case_is_resolved_only_through_a_proposal_and_reopens_into_handling():
    assert S.RESOLVED not in TRANSITIONS[S.IN_PROGRESS]
    assert S.RESOLVED not in TRANSITIONS[S.OPEN]
    assert TRANSITIONS[S.RESOLUTION_PROPOSED] == {S.RESOLVED, S.IN_PROGRESS}
    assert TRANSITIONS[S.RESOLVED] == {S.IN_PROGRESS}


def test_mediation_table_is_complete_and_withdrawn_is_final():
    assert set(MEDIATION_TRANSITIONS) == set(M)
    assert MEDIATION_TRANSITIONS[M.WITHDRAWN] == set()
    with pytest.raises(MediationTransitionError):
        check_mediation(M.PREPARING, M.AGREED)  # an agreement comes out of sessions
    check_mediation(M.AGREED, M.IN_SESSION)  # talks again after a relapse


START = date(2020, 12, 10)


def declare(**overrides):
    values = dict(dprd_consulted_on=START, declared_on=START, starts_on=START, ends_on=START + timedelta(days=89))
    values.update(overrides)
    rules.check_declaration(**values)


def test_a_status_lasts_at_most_ninety_days_and_needs_the_dprd_consulted_first():
    declare()  # 90 days, counted with both ends
    with pytest.raises(rules.StatusRuleError, match="paling lama 90 hari"):
        declare(ends_on=START + timedelta(days=90))
    with pytest.raises(rules.StatusRuleError, match="DPRD"):
        declare(dprd_consulted_on=None)
    with pytest.raises(rules.StatusRuleError, match="sebelum penetapan"):
        declare(dprd_consulted_on=START + timedelta(days=1))
    with pytest.raises(rules.StatusRuleError):
        declare(starts_on=START - timedelta(days=1))


def test_one_extension_of_at_most_thirty_days_decided_ten_days_before_the_end():
    end = START + timedelta(days=89)
    ok = dict(ends_on=end, already_extended=False, decided_on=end - timedelta(days=10))
    rules.check_extension(**ok, extended_to=end + timedelta(days=30))
    with pytest.raises(rules.StatusRuleError, match="paling lama 30"):
        rules.check_extension(**ok, extended_to=end + timedelta(days=31))
    with pytest.raises(rules.StatusRuleError, match="paling lambat 10 hari"):
        rules.check_extension(**{**ok, "decided_on": end - timedelta(days=9)}, extended_to=end + timedelta(days=5))
    with pytest.raises(rules.StatusRuleError, match="satu kali"):
        rules.check_extension(**{**ok, "already_extended": True}, extended_to=end + timedelta(days=5))


def test_revocation_while_in_force_only():
    last = START + timedelta(days=89)
    rules.check_revocation(starts_on=START, last_day=last, revoked_on=START + timedelta(days=20))
    rules.check_revocation(starts_on=START, last_day=last, revoked_on=last)
    with pytest.raises(rules.StatusRuleError):
        rules.check_revocation(starts_on=START, last_day=last, revoked_on=last + timedelta(days=1))
    with pytest.raises(rules.StatusRuleError):
        rules.check_revocation(starts_on=START, last_day=last, revoked_on=START)


def test_progress_reports_fall_due_every_period_and_at_the_end():
    days = rules.report_due_dates(START, START + timedelta(days=20), 7)
    assert days == [START + timedelta(days=7), START + timedelta(days=14), START + timedelta(days=20)]


@pytest.mark.parametrize(
    ("party", "text", "expected"),
    [
        ("Karang Taruna RW 05", "Pemuda Karang Taruna RW 05 kembali bentrok", True),
        ("Karang Taruna RW 05", "Karang Taruna RW 06 menggelar lomba", False),
        ("Pendukung paslon 02", "Massa pendukung Paslon 02 berkumpul di depan kantor", True),
        ("warga", "Warga berkumpul", False),  # generic words alone never match
        ("Perguruan Silat Setia Hati", "anggota perguruan silat setia-hati konvoi", True),
    ],
)
def test_a_party_is_mentioned_when_its_distinctive_words_all_appear(party, text, expected):
    assert rules.party_mentioned(party, text) is expected


def test_the_same_place_alone_is_not_the_same_problem():
    common = dict(parties=["Karang Taruna RW 05"], places={"35.75.04.1010"}, categories={"bentrok_pendukung"})
    assert (
        rules.relates(
            **common, incident_text="Spanduk dirusak", incident_place="35.75.04.1010", incident_category="politik_uang"
        )
        is None
    )
    same = rules.relates(
        **common, incident_text="Spanduk dirusak", incident_place="35.75.04.1010", incident_category="bentrok_pendukung"
    )
    assert same is not None and same.reason == "place_and_category"
    named = rules.relates(
        **common, incident_text="Karang Taruna RW 05 ribut", incident_place="35.75.01.1001", incident_category="lainnya"
    )
    assert named is not None and named.reason == "parties"


def test_a_stage_is_late_when_done_after_or_still_open_past_its_deadline():
    due = datetime(2020, 12, 10, tzinfo=UTC)
    assert rules.StageClock("ack", due - timedelta(hours=1), due).late_by(due + timedelta(days=3)) is None
    assert rules.StageClock("ack", due + timedelta(hours=5), due).late_by(due) == timedelta(hours=5)
    open_stage = rules.StageClock("ack", None, due)
    assert not open_stage.breached(due - timedelta(seconds=1))
    assert open_stage.late_by(due + timedelta(hours=2)) == timedelta(hours=2)
    assert rules.StageClock("received", due, None).late_by(due + timedelta(days=9)) is None
