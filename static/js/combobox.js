/*
 * Liste à saisie assistée (« combobox ») pour les longues listes : pays, langues, départements.
 *
 * Amélioration progressive d'un `<select data-combobox>` (simple ou multiple) : sans JavaScript, la liste déroulante
 * reste et s'envoie telle quelle ; avec, elle est masquée mais reste la valeur du formulaire (le serveur décide), et
 * un champ de saisie suit le motif « combobox » des WAI-ARIA Authoring Practices (liste déroulante `listbox`,
 * `aria-activedescendant`) :
 *
 * - taper filtre la liste (sans tenir compte des accents ni des majuscules) ; une zone `role="status"` annonce le
 *   nombre de résultats ;
 * - flèches haut et bas : parcourir les résultats ; Entrée : choisir ; Échap : fermer la liste (puis vider la
 *   saisie) ; Tab : fermer et passer au champ suivant ;
 * - choix multiples : chaque valeur choisie devient une étiquette DSFR avec un bouton « Retirer … » ;
 * - chaque choix déclenche l'événement `change` du `<select>` : l'enregistrement automatique (`autosave.js`) le voit.
 */
(function () {
  "use strict";

  var INSTRUCTIONS =
    "Tapez quelques lettres, parcourez les résultats avec les flèches haut et bas, choisissez avec Entrée.";

  function normalise(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .trim();
  }

  function plural(count) {
    if (count === 0) {
      return "Aucun résultat.";
    }
    return count === 1 ? "1 résultat disponible." : count + " résultats disponibles.";
  }

  function enhance(select) {
    var id = select.id;
    var multiple = select.multiple;
    var label = document.querySelector('label[for="' + id + '"]');
    var labelText = label ? label.childNodes[0].textContent.trim() : select.name;
    if (label) {
      label.id = label.id || id + "-label";
      label.querySelectorAll(".mniop-nojs-hint").forEach(function (hint) {
        hint.remove();
      });
    }

    var wrapper = document.createElement("div");
    wrapper.className = "mniop-combobox";

    var tags = document.createElement("ul");
    tags.className = "fr-tags-group mniop-combobox__tags";
    tags.setAttribute("aria-label", "Choix retenus");

    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-combobox";
    input.className = "fr-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-listbox");
    if (select.hasAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    }
    if (select.required) {
      input.setAttribute("aria-required", "true");
    }

    var instructions = document.createElement("p");
    instructions.id = id + "-instructions";
    instructions.className = "fr-sr-only";
    instructions.textContent = INSTRUCTIONS;
    var describedBy = [instructions.id];
    if (select.getAttribute("aria-describedby")) {
      describedBy.push(select.getAttribute("aria-describedby"));
    }
    input.setAttribute("aria-describedby", describedBy.join(" "));

    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.className = "mniop-combobox__listbox";
    listbox.setAttribute("role", "listbox");
    if (label) {
      listbox.setAttribute("aria-labelledby", label.id);
    } else {
      listbox.setAttribute("aria-label", labelText);
    }
    if (multiple) {
      listbox.setAttribute("aria-multiselectable", "true");
    }
    listbox.hidden = true;

    var status = document.createElement("div");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    if (label) {
      label.htmlFor = input.id;
    }
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    wrapper.append(tags, input, instructions, listbox, status);
    select.after(wrapper);

    var choices = Array.prototype.filter.call(select.options, function (option) {
      return option.value !== "";
    });
    var results = [];
    var active = -1;

    function say(text) {
      // Vider puis écrire : le même message est annoncé de nouveau.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }

    function selectedLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value !== "" ? option.textContent : "";
    }

    function notify() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function renderTags() {
      tags.replaceChildren();
      if (!multiple) {
        return;
      }
      choices.forEach(function (option) {
        if (!option.selected) {
          return;
        }
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "fr-tag fr-tag--sm fr-tag--dismiss";
        button.textContent = option.textContent;
        button.setAttribute("aria-label", "Retirer " + option.textContent);
        button.addEventListener("click", function () {
          option.selected = false;
          renderTags();
          notify();
          say("« " + option.textContent + " » retiré.");
          input.focus();
        });
        item.append(button);
        tags.append(item);
      });
      tags.hidden = !tags.children.length;
    }

    function setActive(index) {
      var items = listbox.children;
      if (active >= 0 && items[active]) {
        items[active].classList.remove("mniop-combobox__option--active");
      }
      active = index;
      if (active >= 0 && items[active]) {
        items[active].classList.add("mniop-combobox__option--active");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      var query = normalise(input.value);
      if (!multiple && input.value === selectedLabel()) {
        query = "";
      }
      var starts = [];
      var contains = [];
      choices.forEach(function (option) {
        if (multiple && option.selected) {
          return;
        }
        var text = normalise(option.textContent);
        if (!query || text.indexOf(query) === 0) {
          starts.push(option);
        } else if (text.indexOf(query) > 0 || normalise(option.value) === query) {
          contains.push(option);
        }
      });
      results = starts.concat(contains);
      listbox.replaceChildren();
      results.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = id + "-option-" + index;
        item.className = "mniop-combobox__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", option.selected ? "true" : "false");
        item.textContent = option.textContent;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // garder le focus dans le champ
        });
        item.addEventListener("click", function () {
          choose(index);
        });
        listbox.append(item);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      say(plural(results.length));
    }

    function choose(index) {
      var option = results[index];
      if (!option) {
        return;
      }
      if (multiple) {
        option.selected = true;
        input.value = "";
        renderTags();
        say("« " + option.textContent + " » ajouté.");
      } else {
        select.value = option.value;
        input.value = option.textContent;
        say("« " + option.textContent + " » choisi.");
      }
      close();
      notify();
    }

    input.addEventListener("input", open);
    input.addEventListener("click", function () {
      if (listbox.hidden) {
        open();
      }
    });
    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (listbox.hidden) {
            open();
          }
          setActive(Math.min(active + 1, results.length - 1));
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!listbox.hidden) {
            setActive(Math.max(active - 1, 0));
          }
          break;
        case "Enter":
          if (!listbox.hidden) {
            event.preventDefault();
            choose(active >= 0 ? active : results.length === 1 ? 0 : -1);
          }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = multiple ? "" : selectedLabel();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (multiple) {
        input.value = "";
      } else if (input.value.trim() === "" && select.value !== "") {
        select.value = "";
        notify();
      } else {
        input.value = selectedLabel();
      }
    });

    input.value = multiple ? "" : selectedLabel();
    renderTags();
  }

  document.querySelectorAll("select[data-combobox]").forEach(enhance);

  // Un lien vers le champ (« À compléter avant le dépôt », erreurs) mène au champ de saisie, pas à la liste masquée.
  document.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#id_"]');
    var select = link && document.getElementById(link.getAttribute("href").slice(1));
    var input = select && select.hidden && document.getElementById(select.id + "-combobox");
    if (input) {
      event.preventDefault();
      input.scrollIntoView({ block: "center" });
      input.focus();
    }
  });
})();
