"""The skill taxonomy: its shipped data, whole-name lookups and free-text matching."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from jobwise.domain.skills import (
    CATEGORIES,
    Skill,
    SkillMention,
    SkillTaxonomy,
    SkillTaxonomyError,
    default_taxonomy,
)

TAXONOMY = default_taxonomy()


def found(text: str) -> list[str]:
    return TAXONOMY.find_in(text)


# -- the shipped data ---------------------------------------------------------------------


def test_the_taxonomy_is_large_and_covers_every_category() -> None:
    assert len(TAXONOMY) >= 400
    assert set(CATEGORIES) == {
        "languages",
        "frameworks",
        "databases",
        "cloud",
        "devops",
        "data_ml",
        "testing",
        "tools",
        "methods",
        "security",
        "soft",
    }
    per_category = Counter(skill.category for skill in TAXONOMY.skills())
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 20


def test_no_spelling_belongs_to_two_skills() -> None:
    owners: dict[str, set[str]] = {}
    for skill in TAXONOMY.skills():
        for spelling in skill.spellings:
            owners.setdefault(spelling.casefold(), set()).add(skill.name)
    shared = {spelling: names for spelling, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_canonical_names_are_unique_and_every_spelling_leads_to_its_skill() -> None:
    names = [skill.name for skill in TAXONOMY.skills()]
    assert len(names) == len(set(names))
    for skill in TAXONOMY.skills():
        for spelling in skill.spellings:
            assert TAXONOMY.canonical(spelling) == skill.name, spelling


@pytest.mark.parametrize(
    "word",
    [
        "Go", "R", "C", "Swift", "Rust", "Spring", "Express", "Less", "Chef", "Puppet", "Ant",
        "Dart", "Julia", "Elm", "Crystal", "Shell", "Excel", "Access", "Make", "React", "Flask",
        "Node", "Lean", "REST", "SOAP", "SOLID", "SAFe", "Spark", "TS", "ML", "AI", "CI", "CD",
        "UI", "QA",
    ],
)  # fmt: skip
def test_ordinary_words_never_match_free_text_in_any_case(word: str) -> None:
    skill = next(s for s in TAXONOMY.skills() if word in s.spellings)
    assert word in skill.exact_case or word in skill.name_only


# -- whole names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("JS", "JavaScript"),
        ("Javascript", "JavaScript"),
        ("javascript", "JavaScript"),
        ("TS", "TypeScript"),
        ("k8s", "Kubernetes"),
        ("Postgres", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("GCP", "GCP"),
        ("Google Cloud", "GCP"),
        ("Google Cloud Platform", "GCP"),
        ("Golang", "Go"),
        ("go", "Go"),
        ("node", "Node.js"),
        ("NodeJS", "Node.js"),
        ("Node.js", "Node.js"),
        ("Spark", "Apache Spark"),
        ("c#", "C#"),
        ("C++", "C++"),
        (".net", ".NET"),
        ("ASP.NET Core", "ASP.NET Core"),
        ("sklearn", "scikit-learn"),
        ("scikit-learn", "scikit-learn"),
        ("CI/CD", "CI/CD"),
        ("continuous integration", "CI/CD"),
        ("t-sql", "T-SQL"),
        ("PL/SQL", "PL/SQL"),
        ("Amazon Web Services", "AWS"),
        ("aws", "AWS"),
        ("Microsoft Azure", "Azure"),
        ("ReactJS", "React"),
        ("React.js", "React"),
        ("vue", "Vue.js"),
        ("nextjs", "Next.js"),
        ("RESTful APIs", "REST"),
        ("pytorch", "PyTorch"),
        ("Tensorflow", "TensorFlow"),
        ("terraform", "Terraform"),
        ("github actions", "GitHub Actions"),
        ("ML", "Machine Learning"),
        ("machine learning", "Machine Learning"),
        ("py", "Python"),
    ],
)
def test_canonical_maps_every_spelling_to_one_name(raw: str, canonical: str) -> None:
    assert TAXONOMY.canonical(raw) == canonical


def test_canonical_ignores_case_and_whitespace_runs_but_not_punctuation() -> None:
    assert TAXONOMY.canonical("  google \t CLOUD  platform ") == "GCP"
    assert TAXONOMY.canonical("node . js") is None
    assert TAXONOMY.canonical("Event Storming") is None


def test_normalize_keeps_unknown_names_trimmed_and_collapsed() -> None:
    assert TAXONOMY.normalize(" k8s ") == "Kubernetes"
    assert TAXONOMY.normalize("  Event \n Storming ") == "Event Storming"


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("python", "languages"),
        ("React", "frameworks"),
        ("postgres", "databases"),
        ("Google Cloud", "cloud"),
        ("k8s", "devops"),
        ("sklearn", "data_ml"),
        ("pytest", "testing"),
        ("jira", "tools"),
        ("microservices", "methods"),
        ("OWASP", "security"),
        ("stakeholder management", "soft"),
        ("Event Storming", None),
    ],
)
def test_category_of(name: str, category: str | None) -> None:
    assert TAXONOMY.category_of(name) == category


def test_membership_and_size() -> None:
    assert "golang" in TAXONOMY
    assert "Go" in TAXONOMY
    assert "Event Storming" not in TAXONOMY
    assert 42 not in TAXONOMY
    assert len(TAXONOMY) == len(TAXONOMY.skills())


def test_the_default_taxonomy_is_loaded_once() -> None:
    assert default_taxonomy() is default_taxonomy()


# -- free text: what is found -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Strong JS and javascript skills", ["JavaScript"]),
        ("We run k8s", ["Kubernetes"]),
        ("Postgres or postgresql", ["PostgreSQL"]),
        ("GCP, Google Cloud", ["GCP"]),
        ("Golang or golang", ["Go"]),
        ("NodeJS and Node.js", ["Node.js"]),
        ("Spark jobs", ["Apache Spark"]),
        ("python, KUBERNETES, postgres", ["Python", "Kubernetes", "PostgreSQL"]),
        ("AWS (Amazon Web Services)", ["AWS"]),
        ("sklearn models", ["scikit-learn"]),
        ("ML engineers", ["Machine Learning"]),
    ],
)
def test_required_mappings_in_free_text(text: str, skills: list[str]) -> None:
    assert found(text) == skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Experience with Python.", ["Python"]),
        ("Containers (Kubernetes)", ["Containerization", "Kubernetes"]),
        ("We use Go, Rust and Swift.", ["Go", "Rust", "Swift"]),
        ("Python 3 and Java 17", ["Python", "Java"]),
        ("Python3, C++17, HTML5", ["Python", "C++", "HTML"]),
        ('"Terraform"!', ["Terraform"]),
    ],
)
def test_punctuation_and_versions_around_a_name_do_not_block_it(
    text: str, skills: list[str]
) -> None:
    assert found(text) == skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("C, C++, C# and F#", ["C", "C++", "C#", "F#"]),
        ("C/C++ firmware", ["C", "C++"]),
        ("C#/.NET and .NET Core", ["C#", ".NET"]),
        ("Node.js services", ["Node.js"]),
        ("CI/CD pipelines", ["CI/CD"]),
        ("PL/SQL and T-SQL", ["PL/SQL", "T-SQL"]),
        ("scikit-learn", ["scikit-learn"]),
        ("ASP.NET MVC", ["ASP.NET"]),
        ("ASP.NET Core", ["ASP.NET Core"]),
        ("Objective-C", ["Objective-C"]),
        ("A/B testing", ["A/B Testing"]),
        ("Python/Django", ["Python", "Django"]),
    ],
)
def test_names_with_punctuation(text: str, skills: list[str]) -> None:
    assert found(text) == skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("REST APIs", ["REST"]),
        ("RESTful services", ["REST"]),
        ("a REST API", ["REST"]),
        ("microservices", ["Microservices"]),
        ("a microservice", ["Microservices"]),
        ("unit tests", ["Unit Testing"]),
    ],
)
def test_plurals_and_variants(text: str, skills: list[str]) -> None:
    assert found(text) == skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Apache Spark Streaming", ["Spark Streaming"]),
        ("Apache Spark", ["Apache Spark"]),
        ("Google Cloud Platform", ["GCP"]),
        ("React Native apps", ["React Native"]),
        ("Spring Boot", ["Spring Boot"]),
        ("Azure DevOps", ["Azure DevOps"]),
        ("Microsoft SQL Server", ["Microsoft SQL Server"]),
    ],
)
def test_the_longest_match_wins(text: str, skills: list[str]) -> None:
    assert found(text) == skills


def test_a_long_phrase_is_one_mention() -> None:
    text = "on Google Cloud Platform."
    assert TAXONOMY.mentions(text) == [SkillMention("GCP", 3, 24)]


def test_mention_spans_cover_the_text_as_written() -> None:
    text = "Go, k8s and Apache Spark; then golang."
    spans = [(m.name, text[m.start : m.end]) for m in TAXONOMY.mentions(text)]
    assert spans == [
        ("Go", "Go"),
        ("Kubernetes", "k8s"),
        ("Apache Spark", "Apache Spark"),
        ("Go", "golang"),
    ]


def test_find_in_keeps_the_order_of_first_mention_without_duplicates() -> None:
    text = "Docker and Python; python again, then docker, Go and Kubernetes (k8s)."
    assert found(text) == ["Docker", "Python", "Go", "Kubernetes"]


def test_nothing_is_found_in_text_without_skills() -> None:
    assert found("") == []
    assert found("We are a friendly team that values kindness.") == []


# -- free text: what is not found ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a good fit",
        "your go-to person",
        "two years ago",
        "ready to go",
        "a Go-getter attitude",
        "a R&D budget",
        "react quickly to incidents",
        "a swift response",
        "no rust on our process",
        "C-level stakeholders",
        "our Series C round",
        "the C suite",
        "the C4 model",
        "in the spring",
        "the rest of the team",
        "each node in the cluster",
        "Make an impact",
        "Access to a learning budget",
        "excel at your craft",
        "bash the bugs",
        "a lean team",
        "write safe code",
        "spark innovation",
    ],
)
def test_ordinary_words_are_not_skills(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("JavaScript", ["JavaScript"]),
        ("TypeScript", ["TypeScript"]),
        ("see index.js", []),
        ("visit python.org", []),
        ("node_modules", []),
        ("foo.NET", []),
    ],
)
def test_a_name_inside_another_word_or_name_is_not_a_mention(text: str, skills: list[str]) -> None:
    assert found(text) == skills


def test_canonical_and_find_in_differ_for_ordinary_words() -> None:
    # A skills-list entry "node" can only mean Node.js; prose "node" means a machine.
    assert TAXONOMY.canonical("node") == "Node.js"
    assert found("each node in the cluster") == []
    assert found("Node and React") == ["Node.js", "React"]
    # "py" is a whole-name alias only.
    assert TAXONOMY.canonical("py") == "Python"
    assert found("py") == []


# -- skills the posting corpus needed --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical", "category"),
    [
        ("EHR", "EHR", "tools"),
        ("electronic health records", "EHR", "tools"),
        ("kubeflow", "Kubeflow", "data_ml"),
        ("amplitude", "Amplitude", "tools"),
        ("Mixpanel", "Mixpanel", "tools"),
        ("UX research", "User Research", "methods"),
        ("usability testing", "User Research", "methods"),
        ("zendesk", "Zendesk", "tools"),
        ("intercom", "Intercom", "tools"),
        ("Coroutines", "Kotlin Coroutines", "frameworks"),
        ("kotlinx.coroutines", "Kotlin Coroutines", "frameworks"),
        ("Gainsight", "Gainsight", "tools"),
        ("real-time operating system", "RTOS", "tools"),
        ("freertos", "FreeRTOS", "tools"),
        ("Zephyr RTOS", "Zephyr", "tools"),
        ("VLLM", "vLLM", "data_ml"),
        ("marketing automation", "Marketing Automation", "tools"),
        ("copywriting", "Copywriting", "methods"),
        ("tekton pipelines", "Tekton", "devops"),
        ("Basic Life Support", "BLS", "methods"),
        ("bls", "BLS", "methods"),
        ("Advanced Cardiac Life Support", "ACLS", "methods"),
        ("Stimulus", "Hotwire", "frameworks"),
        ("anaplan", "Anaplan", "tools"),
        ("dask", "Dask", "data_ml"),
        ("UI tests", "UI Testing", "testing"),
        ("security data lake", "Security Data Lakes", "security"),
    ],
)
def test_skills_the_corpus_needed_are_known(raw: str, canonical: str, category: str) -> None:
    assert TAXONOMY.canonical(raw) == canonical
    assert TAXONOMY.category_of(raw) == category


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Experience with healthcare data (EHR, claims)", ["EHR"]),
        ("Document care in the electronic health record (Epic)", ["EHR"]),
        ("MLflow, Kubeflow or similar", ["MLflow", "Kubeflow"]),
        ("Familiarity with Amplitude or Mixpanel", ["Amplitude", "Mixpanel"]),
        ("Experience with user research and usability testing", ["User Research"]),
        ("Experience with Zendesk or Intercom", ["Zendesk", "Intercom"]),
        ("a CS platform such as Gainsight or ChurnZero", ["Gainsight"]),
        ("Experience with an RTOS such as FreeRTOS or Zephyr", ["RTOS", "FreeRTOS", "Zephyr"]),
        ("Experience with vLLM, TensorRT or other inference servers", ["vLLM"]),
        ("a CRM or marketing automation tool", ["Marketing Automation"]),
        ("Excellent copywriting skills", ["Copywriting"]),
        ("CI/CD pipelines in Jenkins and Tekton", ["CI/CD", "Jenkins", "Tekton"]),
        ("BLS certification; ACLS certification", ["BLS", "ACLS"]),
        ("Hotwire, Stimulus or Turbo", ["Hotwire"]),
        ("Work on Hotwire-powered interfaces", ["Hotwire"]),
        ("a planning tool such as Anaplan", ["Anaplan"]),
        ("NumPy, xarray or Dask", ["NumPy", "Dask"]),
        ("Experience with kotlinx.coroutines", ["Kotlin Coroutines"]),
        ("TestRail or Zephyr Scale", ["Zephyr Scale"]),
    ],
)
def test_skills_the_corpus_needed_are_found_in_free_text(text: str, skills: list[str]) -> None:
    assert found(text) == skills


@pytest.mark.parametrize(
    "text",
    [
        "measure the amplitude of the signal",
        "buzz the intercom at reception",
        "a gentle zephyr",
        "a stimulus package",
        "asynchronous coroutines",
    ],
)
def test_new_skills_that_are_also_words_stay_out_of_ordinary_prose(text: str) -> None:
    assert found(text) == []


def test_bare_coroutines_are_kotlin_only_in_a_skills_list() -> None:
    assert TAXONOMY.canonical("coroutines") == "Kotlin Coroutines"
    # In prose they may be Python's, C++'s or Unity's.
    assert found("Jetpack Compose and coroutines") == ["Jetpack Compose"]
    assert found("Unity coroutines") == ["Unity"]


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Confident presenting to senior stakeholders", ["Presentation Skills"]),
        ("Very organized, with good time management", ["Organizational Skills", "Time Management"]),
        ("highly organised", ["Organizational Skills"]),
        ("a calm, empathetic approach to customers", ["Empathy"]),
        # The bare words have other meanings, so only these wordings are skills.
        ("patients presenting with chest pain", []),
        ("presenting a unified API", []),
        ("we are organized into small squads", []),
        ("a meetup organized by our team", []),
    ],
)
def test_soft_skill_wordings(text: str, skills: list[str]) -> None:
    assert found(text) == skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        # "UI tests" are tests, not UI design; the longer spelling wins.
        ("Experience writing unit and UI tests with XCTest", ["UI Testing", "XCTest"]),
        ("UI testing with Espresso", ["UI Testing", "Espresso"]),
        ("GUI tests", ["UI Testing"]),
        ("a portfolio of polished UI", ["UI Design"]),
        ("UI and UX", ["UI Design", "UX Design"]),
        # A security data lake is a SIEM-like security tool, not a data-engineering skill.
        ("a SIEM or security data lake (Splunk)", ["SIEM", "Security Data Lakes", "Splunk"]),
        ("build our data lake", ["Data Lakes"]),
        ("a data lakehouse", ["Data Lakes"]),
    ],
)
def test_longer_spellings_fix_false_matches(text: str, skills: list[str]) -> None:
    assert found(text) == skills


# -- loading ------------------------------------------------------------------------------


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "skills.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def doc(*skills: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "skills": list(skills)}


GO = {"name": "Go", "category": "languages", "aliases": ["Golang"], "exact_case": ["Go"]}


def test_a_small_file_loads_and_matches(tmp_path: Path) -> None:
    taxonomy = SkillTaxonomy.from_file(write(tmp_path, doc(GO)))
    assert taxonomy.skills() == (Skill("Go", "languages", ("Golang",), ("Go",)),)
    assert taxonomy.find_in("Go and golang, not go") == ["Go"]


def test_a_taxonomy_can_be_built_from_skills() -> None:
    taxonomy = SkillTaxonomy([Skill("Kubernetes", "devops", ("k8s",))])
    assert taxonomy.find_in("k8s") == ["Kubernetes"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"skills": [GO]}, "version"),
        (doc(), "skills"),
        (doc({**GO, "category": "langs"}), "skill #0 ('Go') category"),
        (doc({**GO, "colour": "blue"}), "skill #0 ('Go') colour"),
        (doc({"category": "languages"}), "skill #0 (None) name"),
        (doc({**GO, "aliases": [" Golang"]}), "trimmed"),
        (doc({**GO, "aliases": [""]}), "non-blank"),
        (doc({**GO, "aliases": ["Golang", "Golang"]}), "listed twice"),
        (doc({**GO, "aliases": ["Golang", "golang"]}), "differ only in case"),
        (doc({**GO, "exact_case": ["Gopher"]}), "not the name or an alias"),
        (doc({**GO, "name_only": ["Go"]}), "both exact_case and name_only"),
        (doc(GO, {"name": "Gopher", "category": "soft", "aliases": ["golang"]}), "both Go and"),
    ],
)
def test_a_bad_file_raises_a_clear_error(tmp_path: Path, document: Any, message: str) -> None:
    path = write(tmp_path, document)
    with pytest.raises(SkillTaxonomyError) as raised:
        SkillTaxonomy.from_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
