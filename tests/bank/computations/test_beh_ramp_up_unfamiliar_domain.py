"""beh-ramp-up-unfamiliar-domain: the story's timeline is consistent with its deadline."""


from printed import question

TEXT = " ".join(question("beh-ramp-up-unfamiliar-domain")["answer"].split())


def test_the_timeline():
    deadline_days, plan_check_day, delivered_day = 14, 3, 10
    for text in ("within two weeks", "After three days I presented my plan", "Within ten days I showed"):
        assert text in TEXT, text
    assert plan_check_day < delivered_day <= deadline_days
