// Parcours : jeton CSRF pour les requêtes htmx (lu dans la balise meta, pas de script en ligne).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});
