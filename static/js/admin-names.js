/* Accessible names for the controls the admin's own scripts draw, which
   axe-core finds unnamed (no inline script: the Content-Security-Policy
   forbids it; loaded with defer, after the admin's scripts).

   - Select2, the admin's autocomplete, draws a combobox labelled only by the
     value it shows, so an empty one has no name. Each is named here by its
     select's label (or the select's own aria-label, in a table row) and then
     its value, as Select2 4.1 names it from the select (select2/select2#6457);
     the admin ships 4.0.13.
   - The filter box of a two-list selector (filter_horizontal) puts its
     description in an aria-label on a bare span, which ARIA forbids there:
     the span is the box's search icon, so it becomes an image with that text. */
"use strict";
{
  // The element that names a select: its label; or, for a select named by
  // its own aria-label (an inline's row), a hidden copy of that name, since a
  // select referenced by aria-labelledby is read as its chosen option.
  const nameOf = (select, container) => {
    const own = select.getAttribute("aria-label");
    if (!own) {
      const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
      if (label && !label.id) {
        label.id = `${select.id}-label`;
      }
      return label;
    }
    const id = `${select.id}-name`;
    const name = document.getElementById(id) || document.createElement("span");
    name.id = id;
    name.hidden = true;
    name.textContent = own;
    container.append(name);
    return name;
  };

  const nameComboboxes = (root) => {
    for (const select of root.querySelectorAll("select.admin-autocomplete")) {
      const container = select.nextElementSibling;
      const combobox = container && container.querySelector(".select2-selection[role=combobox]");
      const value = combobox && combobox.querySelector(".select2-selection__rendered[id]");
      const name = value && select.id && nameOf(select, container);
      if (name) {
        combobox.setAttribute("aria-labelledby", `${name.id} ${value.id}`);
        value.setAttribute("aria-labelledby", name.id);
      }
    }
  };

  const nameFilterIcons = () => {
    for (const icon of document.querySelectorAll(".selector-filter .search-label-icon[aria-label]")) {
      icon.setAttribute("role", "img");
    }
  };

  // After the admin's own start-up: its autocomplete starts when the page is
  // ready (a jQuery ready handler queued before this one), each added inline
  // row on "formset:added", and its two-list selectors on "load".
  const ready = window.django && window.django.jQuery;
  if (ready) {
    ready(() => nameComboboxes(document));
  } else {
    document.addEventListener("DOMContentLoaded", () => nameComboboxes(document));
  }
  document.addEventListener("formset:added", (event) => nameComboboxes(event.target));
  window.addEventListener("load", nameFilterIcons);
}
