/*
 * Avertissement avant la fin d'une session par inactivité (accounts.sessions).
 *
 * Le dialogue DSFR `#session-timeout` s'ouvre `data-warning-seconds` secondes avant la fin annoncée par
 * `data-idle-seconds`. « Rester connecté » envoie le formulaire du dialogue en arrière-plan (en-tête `X-Keep-Alive`,
 * réponse 204) : le serveur note l'activité et le compte à rebours repart. À la fin, la page se recharge : le serveur
 * renvoie vers la connexion en disant pourquoi. Sans script, le formulaire s'envoie normalement.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("session-timeout");
  if (!dialog) {
    return;
  }
  var idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  var warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  var form = dialog.querySelector("form");
  var minutes = document.getElementById("session-timeout-minutes");
  var warningTimer = null;
  var endTimer = null;
  var countdown = null;
  var endsAt = 0;

  function open() {
    if (window.dsfr) {
      window.dsfr(dialog).modal.disclose();
    } else {
      dialog.setAttribute("open", "");
    }
    countdown = window.setInterval(function () {
      if (minutes) {
        minutes.textContent = String(Math.max(1, Math.ceil((endsAt - Date.now()) / 60000)));
      }
    }, 15000);
  }

  function close() {
    window.clearInterval(countdown);
    if (window.dsfr) {
      window.dsfr(dialog).modal.conceal();
    } else {
      dialog.removeAttribute("open");
    }
  }

  function start() {
    window.clearTimeout(warningTimer);
    window.clearTimeout(endTimer);
    endsAt = Date.now() + idleMs;
    warningTimer = window.setTimeout(open, Math.max(0, idleMs - warningMs));
    endTimer = window.setTimeout(function () {
      window.location.reload();
    }, idleMs + 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window
      .fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Keep-Alive": "1" },
        credentials: "same-origin",
      })
      .then(function (response) {
        if (response.status === 204) {
          close();
          start();
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.location.reload();
      });
  });

  start();
})();
