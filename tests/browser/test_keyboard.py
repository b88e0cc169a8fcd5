"""The application form with the keyboard alone: Tab from the name to the submit button in a
reasonable number of stops, the code of conduct reached before the boxes that agree to it,
and at every stop a focus indicator that contrasts 3:1 with what surrounds it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Every field of the form is a stop, a group of radio buttons one, a folded list of
# checkboxes one (its "Show the choices" toggle); the short lists and the links add the rest.
MAX_STOPS = 45
MIN_CONTRAST = 3.0

# The focused element as the eye sees it: the outline (or the ring drawn by a box shadow)
# and the colour behind it, and the contrast between the two (WCAG relative luminance).
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const parse = (colour) => {
        const m = colour.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r, g, b, a};
    };
    const luminance = ({r, g, b}) => {
        const channel = (v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const behind = () => {
        for (let node = el.parentElement; node; node = node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour && colour.a > 0) return colour;
        }
        return {r: 255, g: 255, b: 255, a: 1};
    };
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth) || 0;
    const ring = style.outlineStyle !== 'none' && width >= 2 ? parse(style.outlineColor) : null;
    const around = behind();
    let contrast = 0;
    if (ring) {
        const [light, dark] = [luminance(ring), luminance(around)].sort((a, b) => b - a);
        contrast = (light + 0.05) / (dark + 0.05);
    }
    const label = el.id || el.getAttribute('name') || el.textContent.trim().slice(0, 40);
    return {tag: el.localName, label, type: el.type || '', width, contrast};
}"""


def test_application_form_by_keyboard(page, demo_site):
    page.goto("/apply/")
    name = page.get_by_label("Full name")
    name.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(name).to_be_focused()

    submit = page.get_by_role("button", name="Send my application")
    stops = []
    problems = []
    while True:
        focus = page.evaluate(FOCUS_STYLE)
        stops.append(focus)
        if focus["contrast"] < MIN_CONTRAST:
            problems.append(
                f"stop {len(stops)} ({focus['tag']} {focus['label']}): focus ring "
                f"{focus['width']}px at {focus['contrast']:.2f}:1"
            )
        if submit.evaluate("el => el === document.activeElement"):
            break
        assert len(stops) <= MAX_STOPS, [stop["label"] for stop in stops]
        page.keyboard.press("Tab")

    assert not problems, "\n".join(problems)
    labels = [stop["label"] for stop in stops]
    conduct = next(i for i, stop in enumerate(stops) if "code of conduct" in stop["label"])
    assert conduct < labels.index("id_agree_code_of_conduct"), labels
