/**
 * harness/lm-eval/utils.py: loads a task's view file relative to the release (so lm_eval runs from any
 * directory) and scores short answers exactly as Culture Studio's scorer does (`extractShortAnswer` over
 * `normalizeAnswer`, server/domain/scoring/extract.ts and server/text-normalize.ts). A test feeds
 * the same responses to both and expects the same scores; change them together.
 */

const UTILS_PY = String.raw`# Culture Studio release: lm-evaluation-harness helpers for the tasks in this folder.
# Written by Culture Studio with the release; the scoring mirrors the in-tool scorer (normalizeAnswer and
# extractShortAnswer), so a short answer counts here exactly when it counts in Culture Studio.
import re
import unicodedata
from functools import partial
from pathlib import Path

# The release folder: this file is <release>/harness/lm-eval/utils.py.
RELEASE_ROOT = Path(__file__).resolve().parent.parent.parent


def load_data_files(data_files=None, **_):
    """custom_dataset: the task's view files, resolved against the release folder (not the working directory)."""
    import datasets

    files = {split: str(RELEASE_ROOT / path) for split, path in (data_files or {}).items()}
    return datasets.load_dataset("json", data_files=files)


# Languages written without spaces between words, or (Korean) with spacing too variable to compare.
SPACELESS = {"th", "lo", "km", "my", "bo", "dz", "ja", "zh", "yue", "wuu", "ko"}
TURKIC = {"tr", "az", "crh", "tt", "ba", "kk", "gag"}
# JavaScript's \s and String.prototype.trim.
WHITESPACE = "\t\n\u000b\u000c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
WHITESPACE_RUN = re.compile("[" + WHITESPACE + "]+")
TATWEEL = "\u0640"
ARABIC_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)
ARABIC_LETTER_BASE = {
    "\u0622": "\u0627",
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0671": "\u0627",
    "\u0649": "\u064a",
    "\u0629": "\u0647",
}
HEBREW_POINTS = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
APOSTROPHES = re.compile("['\u2018\u2019\u201b\u0060\u00b4\u2032]")
THINK = re.compile(r"<think>[\s\S]*?</think>", re.IGNORECASE)
ANSWER_PREFIX = re.compile(
    r"^(?:the answer is|answer|정답은?|답은?|الإجابة(?: هي)?|الجواب(?: هو)?|คำตอบ(?:คือ)?|उत्तर(?: है)?|jibu(?: ni)?)\s*[:：]?\s*",
    re.IGNORECASE,
)


def _without_format(s):
    return "".join(c for c in s if unicodedata.category(c) != "Cf")


def _ascii_digits(s):
    return "".join(str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in s)


def _case_fold(s, lang):
    if lang in TURKIC:
        return s.replace("I\u0307", "i").replace("I", "\u0131").replace("\u0130", "i").lower()
    return s.lower().replace("i\u0307", "i").replace("\u03c2", "\u03c3").replace("\u00df", "ss")


def normalize_answer(text, language):
    lang = re.split("[-_]", language)[0].lower()
    s = _without_format(unicodedata.normalize("NFKC", text))
    s = unicodedata.normalize("NFKC", _case_fold(s, lang))
    s = HEBREW_POINTS.sub("", s.replace(TATWEEL, ""))
    s = ARABIC_DIACRITICS.sub("", s)
    s = "".join(ARABIC_LETTER_BASE.get(c, c) for c in s)
    s = APOSTROPHES.sub("", _ascii_digits(s))
    s = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in s)
    s = WHITESPACE_RUN.sub(" ", s).strip(WHITESPACE)
    return s.replace(" ", "") if lang in SPACELESS else s


def _matches_any(answer, variants, language):
    normalized = normalize_answer(answer, language)
    if normalized == "":
        return False
    return any(normalize_answer(v, language) == normalized for v in variants)


def is_correct(response, accepted, language):
    """Whether a short answer matches an accepted variant, as Culture Studio's extractShortAnswer decides."""
    text = THINK.sub("", _without_format(_ascii_digits(unicodedata.normalize("NFKC", response)))).strip(WHITESPACE)
    first_line = re.split(r"\r?\n", text)[0]
    for candidate in (text, first_line, ANSWER_PREFIX.sub("", first_line, count=1)):
        if _matches_any(candidate, accepted, language):
            return True
    normalized = normalize_answer(text, language)
    spaced = " " + normalized + " "
    for variant in accepted:
        v = normalize_answer(variant, language)
        if v == "":
            continue
        if " " in normalized or " " in v:
            if " " + v + " " in spaced:
                return True
        elif v in normalized:
            return True
    return False


def accepted_answers(doc):
    """Every answer variant of every annotation group of a BLEnD-shaped record."""
    return [a for group in doc["annotations"] for a in group["answers"]]


def process_results(doc, results, language):
    return {"acc": 1.0 if is_correct(results[0], accepted_answers(doc), language) else 0.0}
`;

/**
 * utils.py for a release: the helpers above, then one `process_results_<suffix>` per short-answer language
 * (the BLEnD-shaped records name no language, so each task binds its own).
 */
export function lmEvalUtilsPy(languages: readonly { suffix: string; tag: string }[]): string {
  const lines = languages.map(
    ({ suffix, tag }) =>
      `process_results_${suffix} = partial(process_results, language=${JSON.stringify(tag)})`,
  );
  return `${UTILS_PY}\n${lines.length > 0 ? `\n${lines.join('\n')}\n` : ''}`;
}
