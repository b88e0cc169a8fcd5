/* The admin's rich text editor in a StreamField block, named and described for assistive
   technology: labelled by its block's label (a struct block's field label, or the block type
   in a stream child's heading), described by its help text, length counter and errors, so
   that Draft.js does not point aria-describedby at a placeholder that is no longer there.
   See website/rich_text.py. */
(() => {
  const Base = window.draftail && window.draftail.DraftailRichTextArea;
  if (!Base || !window.telepath) return;

  const labelId = (container, id) => {
    const wrapper = container.closest('[data-field-wrapper]');
    const holder = wrapper ? wrapper.parentElement : null;
    if (!holder) return null;
    const label = holder.querySelector(':scope > label.w-field__label');
    if (label) {
      label.id = label.id || `${id}-label`;
      return label.id;
    }
    const section = holder.closest('section[aria-labelledby]');
    if (!section) return null;
    const type = section.querySelector('[data-panel-heading] .c-sf-block__type');
    if (type) {
      type.id = type.id || `${id}-label`;
      return type.id;
    }
    return section.getAttribute('aria-labelledby');
  };

  const describedBy = (container, id, attributes) => {
    const wrapper = container.closest('[data-field-wrapper]') || container;
    const ids = (attributes['aria-describedby'] || '').split(/\s+/).filter(Boolean);
    const errors = `${id}-errors`;
    if (wrapper.querySelector(`[id="${errors}"]`)) ids.push(errors);
    // Draftail's own length counter, rendered with the editor.
    if (attributes.maxLength || attributes.maxlength) ids.push(`${id}-length`);
    return ids.join(' ');
  };

  class NamedDraftailRichTextArea extends Base {
    render(container, name, id, initialState, capabilities, options = {}) {
      const names = {};
      const labelledBy = labelId(container, id);
      if (labelledBy) names.ariaLabelledBy = labelledBy;
      const description = describedBy(container, id, options.attributes || {});
      if (description) names.ariaDescribedBy = description;
      return super.render(container, name, id, initialState, capabilities, {
        ...options,
        ...names,
      });
    }
  }

  window.telepath.register('website.widgets.NamedDraftailRichTextArea', NamedDraftailRichTextArea);
})();
