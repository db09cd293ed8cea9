// RACI filter: the matrix is complete without JavaScript; with it, pick a role to see only
// the activities that role takes part in.
function finopsKbRaciFilter() {
  const box = document.querySelector(".fkb-raci-filter");
  const select = document.getElementById("fkb-raci-role");
  if (!box || !select) return;
  box.hidden = false;
  const apply = () => {
    const role = select.value;
    document.querySelectorAll("table.fkb-raci tbody tr").forEach((row) => {
      const cell = role ? row.querySelector(`td[data-role="${CSS.escape(role)}"]`) : null;
      row.hidden = Boolean(role) && !(cell && cell.textContent.trim());
    });
    document.querySelectorAll("table.fkb-raci [data-role]").forEach((cell) => {
      cell.classList.toggle("fkb-selected", Boolean(role) && cell.dataset.role === role);
    });
    const url = new URL(window.location.href);
    if (role) url.searchParams.set("role", role); else url.searchParams.delete("role");
    window.history.replaceState(null, "", url);
  };
  select.addEventListener("change", apply);
  const wanted = new URL(window.location.href).searchParams.get("role");
  if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
  apply();
}
if (typeof document$ !== "undefined") document$.subscribe(finopsKbRaciFilter);
else document.addEventListener("DOMContentLoaded", finopsKbRaciFilter);

// --- Copy as Markdown (AI-ready pages) -------------------------------------------------------
// The link to the page's .md copy becomes a button that copies it. Where fetch or the
// clipboard is refused (file://, an old browser, permission denied), the link opens the
// Markdown instead, so the reader can still copy it by hand.
function finopsKbCopyMarkdown() {
  document.querySelectorAll("a.fkb-copy-md").forEach((link) => {
    if (link.dataset.fkbReady) return;
    link.dataset.fkbReady = "1";
    link.setAttribute("role", "button");
    const status = document.createElement("span");
    status.className = "fkb-copy-md-status";
    status.setAttribute("role", "status");
    link.after(status);
    link.addEventListener("click", async (event) => {
      if (!navigator.clipboard || window.location.protocol === "file:") return;
      event.preventDefault();
      try {
        const response = await fetch(link.href);
        if (!response.ok) throw new Error(String(response.status));
        await navigator.clipboard.writeText(await response.text());
        status.textContent = link.dataset.fkbCopied;
        window.setTimeout(() => { status.textContent = ""; }, 3000);
      } catch (_) {
        window.location.href = link.href;
      }
    });
  });
}
if (typeof document$ !== "undefined") document$.subscribe(finopsKbCopyMarkdown);
else document.addEventListener("DOMContentLoaded", finopsKbCopyMarkdown);

/* Material's search dialog has no accessible name (axe: aria-dialog-name): give it the name of
   its own search field, in the site's language. */
function finopsKbNameSearch() {
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((dialog) => {
    const field = dialog.querySelector("input[aria-label]");
    dialog.setAttribute("aria-label", field ? field.getAttribute("aria-label") : "Search");
  });
}
if (typeof document$ !== "undefined") document$.subscribe(finopsKbNameSearch);
else document.addEventListener("DOMContentLoaded", finopsKbNameSearch);
