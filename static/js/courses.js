// Knowledge check: immediate feedback when an option is chosen (the check is ungraded, so the
// answers may live in the page). Submitting the form still grades on the server.
document.querySelectorAll("[data-knowledge-check] [data-question]").forEach((question) => {
  const texts = question.closest("[data-knowledge-check]").dataset;
  const output = question.querySelector("[data-feedback-output]");
  const explanation = question.querySelector("[data-explanation]");
  question.addEventListener("change", (event) => {
    const option = event.target;
    const correct = option.dataset.correct === "1";
    // The page renders the translated verdicts; the English text is only a fallback.
    const verdict = correct ? texts.textCorrect || "Correct." : texts.textWrong || "Not quite.";
    output.textContent = [verdict, option.dataset.feedback].filter(Boolean).join(" ");
    output.classList.toggle("is-correct", correct);
    output.classList.toggle("is-wrong", !correct);
    if (explanation) explanation.hidden = false;
  });
});
