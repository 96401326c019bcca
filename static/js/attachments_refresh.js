// La liste des documents joints d'un dossier, tant qu'une analyse antivirus est en cours : relue toutes les
// quelques secondes (la page du dossier, dont on ne garde que la liste), sans recharger la page ni déplacer le
// focus ; s'arrête dès qu'aucun document n'est plus en analyse. Sans JavaScript : le lien « actualiser la page ».
(function () {
  "use strict";
  var SELECTOR = "#documents-joints-liste";

  function schedule(list) {
    var delay = parseInt(list.getAttribute("data-refresh-while-pending"), 10);
    if (!delay) {
      return;
    }
    window.setTimeout(function () {
      fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(SELECTOR);
          if (!fresh) {
            return;
          }
          list.replaceWith(fresh);
          schedule(fresh);
        })
        .catch(function () {
          schedule(list);
        });
    }, delay);
  }

  var list = document.querySelector(SELECTOR);
  if (list) {
    schedule(list);
  }
})();
