"""The text classifier: trained from shipped data, saved, reloaded, and used by triage with its reasons."""

import pytest
from django.core.management import call_command

from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage import textmodel
from sigap.triage.choices import Category


@pytest.fixture(scope="module")
def small_model_file(tmp_path_factory):
    texts, labels = textmodel.load_training_rows()
    path = tmp_path_factory.mktemp("model") / "textmodel.joblib"
    textmodel.save(textmodel.train(texts[:3000], labels[:3000]), path)
    return path


def test_slang_is_normalised_before_classifying():
    normal = textmodel.normalise("USER gw gak tau URL!!! bgt")
    assert normal.split() == ["gue", "tidak", "tau", "banget"]  # per the shipped kamus alay; USER/URL removed


def test_scores_are_the_example_based_ones():
    import numpy as np

    truth = np.array([[1, 0, 0], [0, 0, 0], [1, 1, 0]])
    predicted = np.array([[1, 1, 0], [0, 0, 0], [1, 1, 0]])
    assert textmodel.scores(np.pad(truth, ((0, 0), (0, 9))), np.pad(predicted, ((0, 0), (0, 9))))[
        "example_accuracy"
    ] == pytest.approx((0.5 + 1 + 1) / 3, abs=1e-4)


def test_the_saved_model_reloads_and_keeps_the_label_hierarchy(small_model_file):
    model = textmodel.load(small_model_file)
    assert model is not None and textmodel.load(small_model_file) is model  # cached until the file changes
    predicted = model.predict(["dasar kafir laknat bakar saja gereja mereka", "selamat pagi semua, semoga sehat"])
    assert predicted[1].sum() == 0
    assert not (predicted[:, 2:].any(axis=1) & ~predicted[:, 0]).any()  # no hate category without hate speech
    hateful = predicted[:, 0]
    assert (predicted[hateful][:, textmodel.STRENGTHS].sum(axis=1) == 1).all()  # exactly one strength
    assert (predicted[hateful][:, textmodel.TARGETS].sum(axis=1) == 1).all()  # exactly one target


def test_one_text_and_a_batch_score_as_the_fitted_classifiers_do(small_model_file):
    """The request path scores one report without sklearn's transform and predict_proba; it must agree with them."""
    import numpy as np

    model = textmodel.load(small_model_file)
    texts = textmodel.load_training_rows()[0][3000:3400] + ["", "!!! ???", "zzqx", "Pilkada damai di Bugul Lor"]
    matrix = model.features.transform([textmodel.normalise(t) for t in texts])
    expected = np.column_stack([clf.predict_proba(matrix)[:, 1] for clf in model.classifiers])
    one_by_one = np.vstack([model.probabilities([t]) for t in texts])
    np.testing.assert_allclose(one_by_one, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.probabilities(texts), expected, rtol=0, atol=1e-12)
    assert expected[:, 0].std() > 0.05  # the texts differ, so a constant answer could not pass


@pytest.mark.django_db
def test_triage_uses_the_model_when_present_and_says_so(small_model_file, settings, region):
    settings.SIGAP_TEXT_MODEL_PATH = small_model_file
    report = report_receive(
        ReportDraft(
            channel=Channel.WEB,
            region=region("35.75.04.1010"),
            description="Dasar kafir, bakar saja gereja mereka, usir dari kampung ini",
        )
    )[0]
    assert "text_model" in report.triage
    assert "HS" in report.triage["text_model"]["value"]
    assert report.triage["category"]["value"] in {Category.IDENTITAS, Category.KAMPANYE_HITAM_SARA}


@pytest.mark.django_db
def test_without_a_model_triage_still_works_on_rules(settings, region, tmp_path):
    settings.SIGAP_TEXT_MODEL_PATH = tmp_path / "absent.joblib"
    report = report_receive(
        ReportDraft(
            channel=Channel.WEB, region=region("35.75.04.1010"), description="Pembagian amplop serangan fajar di RW 02"
        )
    )[0]
    assert "text_model" not in report.triage and report.triage["category"]["value"] == Category.POLITIK_UANG


def test_the_train_command_saves_a_model(settings, tmp_path, capsys):
    settings.SIGAP_TEXT_MODEL_PATH = tmp_path / "m.joblib"
    call_command("triage", "train", "--rows", "800")
    assert settings.SIGAP_TEXT_MODEL_PATH.exists()
    call_command("triage", "train", "--if-missing")
    assert "Text model present" in capsys.readouterr().out
