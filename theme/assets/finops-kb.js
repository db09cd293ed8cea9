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
