from parcours.rules.letters import BACKGROUND_FROM, in_background


def test_background_from_200_letters():
    assert BACKGROUND_FROM == 200
    assert in_background(199) is False
    assert in_background(200) is True
    assert in_background(5, limit=5) is True and in_background(4, limit=5) is False
