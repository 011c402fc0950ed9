// Parcours : comportements de page, sans script en ligne (CSP).

// Jeton CSRF pour les requêtes htmx (lu dans le formulaire de la page).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});

// Une saisie refusée (422) ou un conflit de version (409) revient avec le formulaire et ses
// erreurs : htmx, qui par défaut ignore les réponses 4xx, doit l'afficher.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 422 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Le résumé des erreurs reçoit le focus : après un échange htmx et au chargement d'une page
// renvoyée en erreur.
function focusErrorSummary(root) {
  var summary = root && root.querySelector ? root.querySelector("[data-parcours-erreurs]") : null;
  if (summary) { summary.focus(); }
  return summary;
}
document.addEventListener("htmx:afterSettle", function (event) {
  focusErrorSummary(event.detail.target);
});
document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });

// Un bouton d'envoi est désactivé tant que la requête est en cours (pas de double envoi).
function submitButtons(form) {
  return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
}
function setBusy(form, busy) {
  submitButtons(form).forEach(function (button) {
    button.disabled = busy;
    if (busy) { button.setAttribute("aria-disabled", "true"); } else { button.removeAttribute("aria-disabled"); }
  });
  if (busy) { form.setAttribute("aria-busy", "true"); } else { form.removeAttribute("aria-busy"); }
}
function htmxForm(event) {
  var elt = event.detail.elt;
  return elt && elt.tagName === "FORM" ? elt : null;
}
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = htmxForm(event);
  if (form) { setBusy(form, true); }
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = htmxForm(event);
  if (form) { setBusy(form, false); }
});
// Formulaires ordinaires : désactivés après la construction des données envoyées (le nom du
// bouton cliqué en fait partie), réactivés si la page revient de l'historique du navigateur.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) { return; }
  if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
  window.setTimeout(function () { setBusy(form, true); }, 0);
  // Un téléchargement ne quitte pas la page : le bouton revient après quelques secondes.
  window.setTimeout(function () { setBusy(form, false); }, 8000);
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[aria-busy=true]").forEach(function (form) { setBusy(form, false); });
});
