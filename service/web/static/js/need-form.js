// The need form's suggested-KPI chips are shortcuts into its KPI list, not a second choice: ticking a
// chip selects the KPI in the list, and choosing in the list ticks its chip. A file, not an inline
// script: the Content-Security-Policy runs scripts from the app's own files only.
"use strict";

document.addEventListener("change", (event) => {
  const list = document.getElementById("need-kpis");
  const target = event.target;
  if (!list || !(target instanceof HTMLElement)) return;
  if (target.matches("input[data-kpi-chip]")) {
    for (const option of list.options) {
      if (option.value === target.value) option.selected = target.checked;
    }
  } else if (target === list) {
    const chosen = new Set(Array.from(list.selectedOptions, (option) => option.value));
    for (const chip of document.querySelectorAll("input[data-kpi-chip]")) chip.checked = chosen.has(chip.value);
  }
});
