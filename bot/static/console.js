// Live refresh without reloading: every element with data-refresh is re-rendered by the server
// (which escapes everything) and swapped in when it changed.
document.querySelectorAll("[data-refresh]").forEach((element) => {
  const refresh = async () => {
    try {
      const answer = await fetch(element.dataset.refresh, {credentials: "same-origin"});
      if (answer.ok) {
        const html = await answer.text();
        if (html !== element.innerHTML) element.innerHTML = html;
      }
    } finally {
      setTimeout(refresh, 1000);
    }
  };
  setTimeout(refresh, 1000);
});
