/*
 * Enregistrement automatique d'une étape du brouillon de signalement (formulaire `form[data-autosave]`).
 *
 * - Quelques secondes après la dernière modification : POST de l'étape vers l'adresse du formulaire, avec l'en-tête
 *   `X-Autosave: 1`. Le serveur répond 204 (enregistré), 201 + `Location` (brouillon créé : le formulaire vise
 *   désormais le brouillon) ou 400 avec les erreurs en JSON (le reste est enregistré ; on ne change pas d'étape).
 * - Quand la page est masquée ou quittée (`visibilitychange`, `pagehide`) : `navigator.sendBeacon` avec les mêmes
 *   données et le champ `autosave=1` (un beacon ne porte pas d'en-tête), jeton CSRF compris.
 * - L'état s'affiche dans la zone `#autosave-status` (aria-live) : « Brouillon enregistré à HH:MM ».
 * - Le serveur vérifie à chaque enregistrement les règles du dépôt pour cette étape et renvoie ce qui manque
 *   (`warnings`, avec un corps JSON : 200, 201 ou 400) : l'encadré « À compléter avant le dépôt »
 *   (`#submission-warnings`) est mis à jour et l'état le résume.
 */
(function () {
  "use strict";

  var DELAY_MS = 3000;
  var form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;
  var submitting = false;
  var saving = false;

  function time(date) {
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  var warningsBox = document.getElementById("submission-warnings");

  // Réécrit l'encadré « À compléter avant le dépôt » ; renvoie le résumé à annoncer ("" s'il ne manque rien).
  function showWarnings(warnings) {
    if (!warningsBox || !warnings) {
      return "";
    }
    warningsBox.replaceChildren();
    if (!warnings.length) {
      return "";
    }
    var alert = document.createElement("div");
    alert.className = "fr-alert fr-alert--warning fr-alert--sm fr-mb-3w";
    var title = document.createElement("h2");
    title.className = "fr-alert__title";
    title.textContent = "À compléter avant le dépôt";
    var list = document.createElement("ul");
    warnings.forEach(function (warning) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = warning.url;
      link.textContent = warning.label;
      item.append(link, " : " + warning.message);
      list.append(item);
    });
    alert.append(title, list);
    warningsBox.append(alert);
    return (
      " À compléter avant le dépôt : " +
      warnings
        .map(function (warning) {
          return warning.label;
        })
        .join(", ") +
      "."
    );
  }

  function payload() {
    var data = new FormData(form);
    data.set("autosave", "1");
    return data;
  }

  // L'attribut, pas `form.action` : un champ nommé « action » masquerait la propriété.
  function target() {
    return form.getAttribute("action") || window.location.pathname;
  }

  function follow(response) {
    var location = response.headers.get("Location");
    if (location) {
      form.setAttribute("action", location);
      window.history.replaceState(null, "", location);
    }
  }

  function save() {
    timer = null;
    if (!dirty || submitting) {
      return;
    }
    if (saving) {
      schedule();
      return;
    }
    dirty = false;
    saving = true;
    fetch(target(), {
      method: "POST",
      body: payload(),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        follow(response);
        var saved = "Brouillon enregistré à " + time(new Date());
        if (response.status === 204) {
          say(saved + "." + showWarnings([]));
          return null;
        }
        if (response.status === 200 || response.status === 201) {
          return response.json().then(function (body) {
            say(saved + "." + showWarnings(body.warnings));
          });
        }
        if (response.status === 400) {
          return response.json().then(function (body) {
            var problems = [];
            Object.keys(body.errors || {}).forEach(function (name) {
              problems = problems.concat(body.errors[name]);
            });
            say(saved + ", sauf ce qui est à corriger : " + problems.join(" ") + showWarnings(body.warnings));
          });
        }
        dirty = true;
        say("Enregistrement automatique impossible pour l'instant : vos saisies restent dans la page.");
        return null;
      })
      .catch(function () {
        dirty = true;
        say("Enregistrement automatique impossible pour l'instant : vos saisies restent dans la page.");
      })
      .finally(function () {
        saving = false;
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  function changed() {
    dirty = true;
    schedule();
  }

  function flush() {
    if (!dirty || submitting || saving) {
      return;
    }
    window.clearTimeout(timer);
    if (navigator.sendBeacon && navigator.sendBeacon(target(), payload())) {
      dirty = false;
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(timer);
  });
  window.addEventListener("pageshow", function () {
    submitting = false;
  });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
})();
