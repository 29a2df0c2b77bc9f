from assistant.places import place_name


def test_provinces_cities_and_countries_are_named_with_or_without_their_suffix() -> None:
    assert place_name("贵州省") == place_name("贵州") == "贵州"
    assert place_name("成都市") == "成都" and place_name("芬兰") == "芬兰"
    assert place_name("广西壮族自治区") == ""  # only the short and the plainly suffixed forms
    assert place_name("广西自治区") == "广西"


def test_words_a_tagger_reads_as_places_are_not_places() -> None:
    assert place_name("东西") == place_name("入口") == place_name("城市") == place_name("某省") == ""
