/*
 * Les champs qui n'ont d'objet que pour certaines réponses (`signalements.services.drafts.RELEVANCE`, donné par la
 * page dans `<script id="field-relevance" type="application/json">`) : {champ: {controllers: [...], values: [...]}}.
 *
 * Amélioration progressive : sans JavaScript, tous les champs restent visibles et les règles du dépôt signalent une
 * réponse sans objet. Avec, un champ sans objet est masqué et désactivé (il n'est plus envoyé : le brouillon
 * l'enregistre vide) ; il réapparaît avec sa saisie dès qu'une réponse le rend utile. Le serveur décide toujours.
 */
(function () {
  "use strict";

  var data = document.getElementById("field-relevance");
  var form = document.querySelector("form[data-autosave]");
  if (!data || !form) {
    return;
  }
  var rules = JSON.parse(data.textContent);

  function inputs(name) {
    return Array.prototype.slice.call(form.querySelectorAll('[name="' + name + '"]'));
  }

  // Les réponses données à un champ actif ; [""] s'il n'a pas de réponse.
  function answers(name) {
    var values = [];
    inputs(name).forEach(function (input) {
      if (input.disabled) {
        return;
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.value);
        }
      } else if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) {
          values.push(option.value);
        });
      } else {
        values.push(input.value);
      }
    });
    return values.length ? values : [""];
  }

  function container(name) {
    var first = inputs(name)[0];
    return first ? first.closest(".fr-fieldset, .fr-input-group, .fr-select-group") : null;
  }

  function apply() {
    // Dans l'ordre de la table : un champ qui en commande d'autres est décidé avant eux.
    Object.keys(rules).forEach(function (name) {
      var rule = rules[name];
      var relevant = rule.controllers.some(function (controller) {
        return answers(controller).some(function (value) {
          return rule.values.indexOf(value) !== -1;
        });
      });
      var box = container(name);
      if (!box) {
        return;
      }
      box.classList.toggle("mniop-irrelevant", !relevant);
      inputs(name).forEach(function (input) {
        input.disabled = !relevant;
      });
    });
  }

  form.addEventListener("change", apply);
  apply();
})();
