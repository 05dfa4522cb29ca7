"use strict";

// Copy buttons: <button data-copy="#selector">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // One box per module ticks or clears all of that module's scopes.
  for (const toggle of document.querySelectorAll("[data-module-toggle]")) {
    const group = toggle.closest(".scope-group");
    const boxes = [...group.querySelectorAll('input[name="scopes"]')];
    const sync = () => {
      const checked = boxes.filter((box) => box.checked).length;
      toggle.checked = checked === boxes.length;
      toggle.indeterminate = checked > 0 && checked < boxes.length;
    };
    toggle.addEventListener("change", () => {
      for (const box of boxes) box.checked = toggle.checked;
      sync();
    });
    for (const box of boxes) box.addEventListener("change", sync);
    sync();
  }

  // Show the extra inputs only when "new application" or "custom" is chosen.
  const reveal = (selectId, value, selector) => {
    const select = document.getElementById(selectId);
    const target = document.querySelector(selector);
    if (!select || !target) return;
    const update = () => { target.hidden = select.value !== value; };
    select.addEventListener("change", update);
    update();
  };
  reveal("id_application", "__new__", "[data-new-application]");
  reveal("id_validity", "custom", "[data-custom-hours]");
});
