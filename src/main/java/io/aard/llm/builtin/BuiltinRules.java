package io.aard.llm.builtin;

import io.aard.llm.AgentProfile;
import io.aard.llm.Capability;
import io.aard.llm.Complexity;
import io.aard.llm.ProposedStep;
import io.aard.llm.TaskAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules behind the {@code builtin} provider: a deterministic stand-in for a language model that
 * reads a task clause by clause and routes each clause to the tool its wording asks for.
 *
 * <p>Pure: no state, no I/O, the same input always gives an equal output, so plans made with it can
 * be compared across runs and benchmarks.
 */
public final class BuiltinRules {

  /** The longest summary, and the longest restated prompt in a completion. */
  public static final int MAX_SUMMARY_CHARS = 200;

  static final String RESEARCHER = "researcher";
  static final String ANALYST = "analyst";
  static final String WRITER = "writer";
  static final String HTTP_GET = "http_get";
  static final String CALCULATOR = "calculator";
  static final String TEXT = "text";
  static final String LLM = "llm";

  private static final int MAX_DESCRIPTION_CHARS = 120;
  private static final String REAL_MODEL_HINT = "set LLM_PROVIDER=ollama to use a real model.";
  private static final String ELLIPSIS = "…";

  // Quoted text and URLs are swapped for placeholders (private-use characters around an index)
  // while a task is split, so that a '.', ';' or " then " inside them never ends a clause.
  private static final char MASK_OPEN = '\uE000';
  private static final char MASK_CLOSE = '\uE001';
  private static final Pattern MASK = Pattern.compile(MASK_OPEN + "(\\d+)" + MASK_CLOSE);

  private static final Pattern QUOTED =
      Pattern.compile(
          "\"([^\"\\n]*)\""
              + "|“([^”\\n]*)”"
              + "|‘([^’\\n]*)’"
              // An apostrophe inside a word ("let's") neither opens nor closes a quote.
              + "|(?<![\\p{L}\\p{N}])'([^'\\n]*+(?:'(?=\\p{L})[^'\\n]*+){0,20})'"
              + "(?![\\p{L}\\p{N}])");

  // Trailing punctuation belongs to the sentence, not to the URL; balanced parentheses (as in
  // Wikipedia's /wiki/Java_(programming_language)) belong to the URL. Repeated groups are bounded
  // throughout: java.util.regex recurses once per repetition of a group.
  private static final String URL_CHARS = "[^\\s\"'<>()\\[\\]{}\uE000\uE001]*";
  private static final Pattern URL =
      Pattern.compile(
          "https?://(?=[\\w\\[%])"
              + URL_CHARS
              + "(?:\\("
              + URL_CHARS
              + "\\)"
              + URL_CHARS
              + "){0,8}(?<![.,;:!?])",
          Pattern.CASE_INSENSITIVE);

  // A sentence ends at . ? ! followed by white space, so 3.5 and example.com stay whole.
  private static final Pattern CLAUSE_BREAK =
      Pattern.compile(
          "\\R|;|(?<=[.?!])\\s+|,?\\s+and\\s+then\\s+|,\\s*then\\s+|\\s+then\\s+"
              + "|,?\\s+after\\s+that\\b,?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern LIST_MARKER =
      Pattern.compile("^(?:[-*•·]|\\d{1,3}[.)]|\\(\\d{1,3}\\)|[a-zA-Z]\\))\\s+");
  private static final Pattern LEADING_CONNECTOR =
      Pattern.compile(
          "^(?:(?:and\\s+)?then\\b,?|after\\s+that\\b,?"
              + "|(?:afterwards|next|finally|lastly|first(?:ly)?|secondly|also)\\s*,)\\s*",
          Pattern.CASE_INSENSITIVE);
  // What is left of an inline numbered list ("1. Calculate ... 2. Count ...") after splitting.
  private static final Pattern BARE_LIST_MARKER = Pattern.compile("^(?:\\d{1,3}|[a-zA-Z])[.)]?$");
  private static final Pattern USABLE = Pattern.compile("[\\p{L}\\p{N}]");

  private static final Pattern ARITHMETIC_CUE =
      Pattern.compile(
          "\\b(?:calculate|compute|evaluate|solve|work\\s+out|what\\s+is|what['’]s|whats"
              + "|how\\s+much\\s+is|result\\s+of)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?)";
  private static final List<Rewrite> OPERATOR_WORDS =
      List.of(
          new Rewrite("\\b(?:the\\s+)?sum\\s+of\\s+" + NUMBER + "\\s+and\\s+" + NUMBER, "$1 + $2"),
          new Rewrite(
              "\\b(?:the\\s+)?product\\s+of\\s+" + NUMBER + "\\s+and\\s+" + NUMBER, "$1 * $2"),
          new Rewrite(
              "\\b(?:the\\s+)?difference\\s+(?:between|of)\\s+" + NUMBER + "\\s+and\\s+" + NUMBER,
              "$1 - $2"),
          new Rewrite("\\s*\\b(?:raised\\s+)?to\\s+the\\s+power\\s+of\\b\\s*", "^"),
          new Rewrite("\\s*\\braised\\s+to\\b\\s*", "^"),
          new Rewrite("\\s*\\bsquared\\b", "^2"),
          new Rewrite("\\s*\\bcubed\\b", "^3"),
          new Rewrite("\\s*\\bmultiplied\\s+by\\b\\s*", " * "),
          new Rewrite("\\s*\\btimes\\b\\s*", " * "),
          new Rewrite("\\s*\\bdivided\\s+by\\b\\s*", " / "),
          new Rewrite("\\s*\\bplus\\b\\s*", " + "),
          new Rewrite("\\s*\\bminus\\b\\s*", " - "),
          new Rewrite("\\*\\*", "^"),
          new Rewrite("(?<=[\\d)])\\s*[x×]\\s*(?=[\\d(])", " * "),
          new Rewrite("÷", " / "),
          new Rewrite("−", "-"));
  private static final Pattern EXPRESSION_RUN =
      Pattern.compile("(?<![\\p{L}\\p{N}.])[-(\\d][\\d.\\s+\\-*/^()]*");
  private static final Pattern EXPRESSION_TOKEN =
      Pattern.compile("\\s*(?:(\\d+(?:\\.\\d+)?|\\.\\d+)|([-+*/^()]))");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}");
  private static final Pattern EXPRESSION_FILLER = Pattern.compile("[\\s=?!.,:]*");

  private static final Pattern TEXT_REQUEST =
      Pattern.compile(
          "\\s*(?:(?:please|now|also|can\\s+you|could\\s+you|tell\\s+me|give\\s+me|what\\s+is"
              + "|what['’]s)\\s+){0,4}(?:the\\s+)?"
              + "(?:(?:convert|change|make|turn|transform|put)\\b.*)?",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern IN_OF_FROM =
      Pattern.compile("\\b(?:in|of|from)\\s+", Pattern.CASE_INSENSITIVE);
  private static final int MAX_WORDS_BEFORE_IN_OF_FROM = 3;
  private static final Pattern TEXT_NOUN =
      Pattern.compile(
          "^(?:the\\s+)?(?:following\\s+)?(?:text|string|phrase|sentences?|words|line|message"
              + "|input)\\s*:?\\s+(?=\\S)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern CONVERT_VERB =
      Pattern.compile(
          "^(?:please\\s+)?(?:convert|change|make|turn|put|transform|write|render)\\s+",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern TRAILING_TO = Pattern.compile("\\s+(?:to|into|in)\\s*$");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final String SEPARATORS = ",;:";
  private static final String PUNCTUATION = ",;:.?!";
  // Markers and connectors rarely stack ("1. Then, ..."); the bound keeps cleaning linear.
  private static final int MAX_CLEANING_PASSES = 4;

  /** The operations of the {@code text} tool, in the order their wording is tried. */
  private enum TextOperation {
    WORD_COUNT(
        "word_count",
        "Count the words in the text",
        "\\bcount(?:\\s+(?:all|the|number|of)){0,4}\\s+words\\b|\\bword\\s+count\\b"
            + "|\\bnumber\\s+of\\s+words\\b|\\bhow\\s+many\\s+words\\b"),
    CHAR_COUNT(
        "char_count",
        "Count the characters in the text",
        "\\bcount(?:\\s+(?:all|the|number|of)){0,4}\\s+(?:characters|chars|letters)\\b"
            + "|\\b(?:character|char)\\s+count\\b|\\bnumber\\s+of\\s+characters\\b"
            + "|\\bhow\\s+many\\s+characters\\b"),
    SENTENCE_COUNT(
        "sentence_count",
        "Count the sentences in the text",
        "\\bcount(?:\\s+(?:all|the|number|of)){0,4}\\s+sentences\\b|\\bsentence\\s+count\\b"
            + "|\\bnumber\\s+of\\s+sentences\\b|\\bhow\\s+many\\s+sentences\\b"),
    EXTRACT_NUMBERS(
        "extract_numbers",
        "Extract the numbers from the text",
        "\\b(?:extract|find|list|pull\\s+out)(?:\\s+(?:all|the|of)){0,4}\\s+numbers\\b"),
    UPPERCASE("uppercase", "Convert the text to upper case", "\\bupper[\\s-]?case(?:d)?\\b"),
    LOWERCASE("lowercase", "Convert the text to lower case", "\\blower[\\s-]?case(?:d)?\\b"),
    REVERSE("reverse", "Reverse the text", "\\breverse\\b");

    private final String operation;
    private final String description;
    private final Pattern wording;

    TextOperation(String operation, String description, String wording) {
      this.operation = operation;
      this.description = description;
      this.wording = Pattern.compile(wording, Pattern.CASE_INSENSITIVE);
    }
  }

  /** One usable clause of a task and the steps the rules chose for it. */
  private record Planned(String clause, List<ProposedStep> steps) {}

  private record Rewrite(Pattern pattern, String replacement) {
    Rewrite(String regex, String replacement) {
      this(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), replacement);
    }

    String apply(String text) {
      return pattern.matcher(text).replaceAll(replacement);
    }
  }

  /** What an expression's previous token was, which decides what may follow it. */
  private enum Last {
    NOTHING,
    NUMBER,
    OPEN,
    CLOSE,
    SIGN,
    OPERATOR;

    boolean expectsOperand() {
      return this != NUMBER && this != CLOSE;
    }
  }

  /** A normalized arithmetic expression and where it sits in the text it was found in. */
  private record Expression(String normalized, int start, int end) {}

  /** Text with its quotes and URLs swapped for placeholders. */
  private record Masked(String text, List<String> originals) {

    static Masked of(String text) {
      List<String> originals = new ArrayList<>();
      String masked = hide(QUOTED, text, originals);
      return new Masked(hide(URL, masked, originals), originals);
    }

    private static String hide(Pattern pattern, String text, List<String> originals) {
      return pattern
          .matcher(text)
          .replaceAll(
              match -> {
                originals.add(match.group());
                return MASK_OPEN + String.valueOf(originals.size() - 1) + MASK_CLOSE;
              });
    }

    String reveal(String part) {
      return MASK.matcher(part)
          .replaceAll(
              match -> Matcher.quoteReplacement(originals.get(Integer.parseInt(match.group(1)))));
    }
  }

  /**
   * Analyses a task: a one-sentence restatement, the capabilities its clauses need ({@code
   * arithmetic}, {@code text}, {@code web}, {@code writing}, in that order) and its complexity by
   * clause count (one clause is {@code low}, two or three {@code medium}, more {@code high}).
   *
   * @param task the task's description; {@code null} reads as empty
   */
  public TaskAnalysis analyze(String task) {
    List<Planned> planned = plan(task);
    List<Capability> capabilities = new ArrayList<>();
    addCapability(capabilities, planned, CALCULATOR, Capability.ARITHMETIC);
    addCapability(capabilities, planned, TEXT, Capability.TEXT);
    addCapability(capabilities, planned, HTTP_GET, Capability.WEB);
    addCapability(capabilities, planned, LLM, Capability.WRITING);
    if (capabilities.isEmpty()) {
      capabilities.add(Capability.WRITING);
    }
    return TaskAnalysis.of(summarize(task, planned), capabilities, complexity(planned.size()));
  }

  /**
   * Decomposes a task into at most {@link ProposedStep#MAX_STEPS} steps, one per clause (one per URL in a
   * clause that names several), using the agents {@code researcher}, {@code analyst} and {@code
   * writer}. Never empty: a task without a usable clause becomes one {@code writer}/{@code llm}
   * step with the whole task as its prompt.
   *
   * @param task the task's description; {@code null} reads as empty
   * @param analysis not consulted: the rules read everything they need from the task itself
   */
  public List<ProposedStep> decompose(String task, TaskAnalysis analysis) {
    return decompose(task, analysis, List.of());
  }

  /**
   * Like {@link #decompose(String, TaskAnalysis)}, then fits each step to the given agents: a step
   * whose agent is missing or lacks the tool goes to the first agent that has the tool; if no agent
   * has it, the clause becomes an {@code llm} step of an agent that has {@code llm} ({@code writer}
   * when none does, for the caller's registry check to reject).
   *
   * @param agents the agents a step may name; empty or {@code null} accepts the rules' choice
   */
  public List<ProposedStep> decompose(
      String task, TaskAnalysis analysis, List<AgentProfile> agents) {
    List<Planned> planned = plan(task);
    if (planned.isEmpty()) {
      String whole = task == null ? "" : task.strip();
      planned = List.of(new Planned(whole, List.of(writerStep(whole))));
    }
    List<AgentProfile> available = agents == null ? List.of() : agents;
    List<ProposedStep> steps = new ArrayList<>();
    for (Planned clause : planned) {
      for (ProposedStep step : fit(clause, available)) {
        if (steps.size() < ProposedStep.MAX_STEPS) {
          steps.add(step);
        }
      }
    }
    return EarlierResults.link(steps, LLM);
  }

  /**
   * Answers a prompt honestly: this model cannot reason, so it restates the prompt's first sentence
   * and says how to configure a real model.
   *
   * @param prompt the prompt; {@code null} reads as empty
   */
  public String complete(String prompt) {
    String first = firstSentence(prompt);
    if (first.isEmpty()) {
      return "[builtin model] The prompt was empty. This rule-based model cannot reason; "
          + REAL_MODEL_HINT;
    }
    boolean ended = first.endsWith(".") || first.endsWith("?") || first.endsWith("!");
    return "[builtin model] This rule-based model cannot reason; it can only restate the prompt: \""
        + first
        + (ended ? "\" " : "\". ")
        + capitalize(REAL_MODEL_HINT);
  }

  /**
   * Counts tokens approximately: every word or number (with inner apostrophes and dots, as in
   * {@code don't}, {@code 3.5} or {@code example.com}) and every other non-space character is one
   * token. Used for the {@code gen_ai.usage.*} counts of the builtin provider.
   *
   * @param text the text; {@code null} has no tokens
   */
  public static long countTokens(String text) {
    if (text == null) {
      return 0;
    }
    long tokens = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      tokens++;
      if (!isWordChar(c)) {
        i++;
        continue;
      }
      do {
        i++;
        boolean joined =
            i + 1 < text.length() && isWordJoiner(text.charAt(i)) && isWordChar(text.charAt(i + 1));
        if (joined) {
          i++;
        }
      } while (i < text.length() && isWordChar(text.charAt(i)));
    }
    return tokens;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static boolean isWordJoiner(char c) {
    return c == '\'' || c == '’' || c == '.';
  }

  private static List<Planned> plan(String task) {
    List<Planned> planned = new ArrayList<>();
    for (String clause : clauses(task)) {
      planned.add(new Planned(clause, stepsFor(clause)));
    }
    return planned;
  }

  /** The task's usable clauses, cleaned of list markers, connectors and trailing separators. */
  private static List<String> clauses(String task) {
    if (task == null || task.isBlank()) {
      return List.of();
    }
    Masked masked = Masked.of(normalizeWhitespace(task));
    List<String> clauses = new ArrayList<>();
    for (String part : CLAUSE_BREAK.split(masked.text())) {
      String clause = clean(part);
      if (clause.isEmpty() || BARE_LIST_MARKER.matcher(clause).matches()) {
        continue;
      }
      clause = collapse(masked.reveal(clause));
      if (USABLE.matcher(clause).find()) {
        clauses.add(clause);
      }
    }
    return clauses;
  }

  private static String clean(String part) {
    String clause = part.strip();
    for (int pass = 0; pass < MAX_CLEANING_PASSES; pass++) {
      String before = clause;
      clause = LIST_MARKER.matcher(clause).replaceFirst("");
      clause = LEADING_CONNECTOR.matcher(clause).replaceFirst("");
      clause = trimEnd(clause, SEPARATORS);
      if (clause.equals(before)) {
        break;
      }
    }
    return clause;
  }

  private static List<ProposedStep> stepsFor(String clause) {
    String bare = trimEnd(clause, PUNCTUATION);
    Optional<ProposedStep> text = textStep(bare);
    if (text.isPresent()) {
      return List.of(text.get());
    }
    List<ProposedStep> fetches =
        URL.matcher(bare)
            .results()
            .map(url -> new ProposedStep("Fetch " + url.group(), RESEARCHER, HTTP_GET, url.group()))
            .toList();
    if (!fetches.isEmpty()) {
      return fetches;
    }
    Optional<String> expression = arithmetic(bare);
    if (expression.isPresent()) {
      return List.of(
          new ProposedStep("Calculate " + expression.get(), ANALYST, CALCULATOR, expression.get()));
    }
    return List.of(writerStep(clause));
  }

  private static ProposedStep writerStep(String clause) {
    String prompt = capitalize(clause);
    String description =
        prompt.isEmpty()
            ? "Answer the task"
            : "Answer: " + abbreviate(prompt, MAX_DESCRIPTION_CHARS);
    return new ProposedStep(description, WRITER, LLM, prompt);
  }

  private static Optional<ProposedStep> textStep(String clause) {
    for (TextOperation operation : TextOperation.values()) {
      Matcher wording = operation.wording.matcher(clause);
      if (wording.find() && asksFor(clause, wording.start())) {
        String operand = textOperand(clause, wording.start(), wording.end());
        if (!operand.isEmpty()) {
          return Optional.of(
              new ProposedStep(
                  operation.description, ANALYST, TEXT, operation.operation + ": " + operand));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a text operation's wording is the clause's request rather than a topic, as "reverse" is
   * in "write about reverse engineering": it is when the clause quotes its text or opens with the
   * wording (perhaps after "please", "what is the" or a verb like "convert").
   */
  private static boolean asksFor(String clause, int wordingStart) {
    return QUOTED.matcher(clause).find()
        || TEXT_REQUEST.matcher(clause.substring(0, wordingStart)).matches();
  }

  /** The text an operation applies to: quoted text, else what the clause says it is. */
  private static String textOperand(String clause, int wordingStart, int wordingEnd) {
    Matcher quoted = QUOTED.matcher(clause);
    if (quoted.find()) {
      for (int group = 1; group <= quoted.groupCount(); group++) {
        if (quoted.group(group) != null) {
          return quoted.group(group).strip();
        }
      }
    }
    String rest = clause.substring(wordingEnd).strip();
    Matcher preposition = IN_OF_FROM.matcher(rest);
    if (preposition.find()
        && wordCount(rest.substring(0, preposition.start())) <= MAX_WORDS_BEFORE_IN_OF_FROM) {
      rest = rest.substring(preposition.end());
    }
    rest = TEXT_NOUN.matcher(rest).replaceFirst("");
    rest = rest.replaceFirst("^:\\s*", "").strip();
    if (!rest.isEmpty()) {
      return rest;
    }
    // "convert hello world to uppercase": the text comes before the wording
    String before =
        CONVERT_VERB.matcher(clause.substring(0, wordingStart).strip()).replaceFirst("");
    return TRAILING_TO.matcher(before).replaceFirst("").strip();
  }

  /**
   * The clause's arithmetic expression, normalized, when the clause asks for a calculation (a verb
   * such as "calculate" or "what is") or is nothing but the expression.
   */
  private static Optional<String> arithmetic(String clause) {
    String symbolic = clause;
    for (Rewrite rewrite : OPERATOR_WORDS) {
      symbolic = rewrite.apply(symbolic);
    }
    boolean asked = ARITHMETIC_CUE.matcher(symbolic).find();
    Matcher run = EXPRESSION_RUN.matcher(symbolic);
    while (run.find()) {
      if (ISO_DATE.matcher(run.group()).find()) {
        continue;
      }
      Optional<Expression> expression = expression(run.group(), run.start());
      if (expression.isEmpty()) {
        continue;
      }
      Expression found = expression.get();
      String around = symbolic.substring(0, found.start()) + " " + symbolic.substring(found.end());
      if (asked || EXPRESSION_FILLER.matcher(around).matches()) {
        return Optional.of(found.normalized());
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The longest prefix of {@code run} that is a complete expression with at least one binary
   * operator, formatted as the calculator reads it: binary operators spaced except {@code ^},
   * parentheses tight, implicit multiplication made explicit.
   */
  private static Optional<Expression> expression(String run, int offset) {
    StringBuilder out = new StringBuilder();
    Matcher token = EXPRESSION_TOKEN.matcher(run);
    Last last = Last.NOTHING;
    int depth = 0;
    boolean binary = false;
    String complete = null;
    int completeEnd = 0;
    int position = 0;
    while (position < run.length()) {
      token.region(position, run.length());
      if (!token.lookingAt()) {
        break;
      }
      String number = token.group(1);
      String symbol = token.group(2);
      boolean adjacent = token.start(number != null ? 1 : 2) == position;
      boolean expectOperand = last.expectsOperand();
      if (number != null || "(".equals(symbol)) {
        if (!expectOperand) {
          // Only "(1 + 2)3", "2(3 + 4)" and "(1 + 2)(3 + 4)" multiply implicitly.
          boolean implicit = adjacent && (last == Last.CLOSE || number == null);
          if (!implicit) {
            break;
          }
          out.append(" * ");
          binary = true;
        }
        if (number != null) {
          out.append(number);
          last = Last.NUMBER;
        } else {
          out.append('(');
          depth++;
          last = Last.OPEN;
        }
      } else if (")".equals(symbol)) {
        if (expectOperand || depth == 0) {
          break;
        }
        out.append(')');
        depth--;
        last = Last.CLOSE;
      } else if (expectOperand) {
        if (!"-".equals(symbol) && !"+".equals(symbol)) {
          break;
        }
        if ("-".equals(symbol)) {
          out.append('-');
        }
        last = Last.SIGN;
      } else {
        out.append("^".equals(symbol) ? "^" : " " + symbol + " ");
        binary = true;
        last = Last.OPERATOR;
      }
      position = token.end();
      if (!last.expectsOperand() && depth == 0 && binary) {
        complete = out.toString();
        completeEnd = position;
      }
    }
    return complete == null
        ? Optional.empty()
        : Optional.of(new Expression(complete, offset, offset + completeEnd));
  }

  private static List<ProposedStep> fit(Planned planned, List<AgentProfile> agents) {
    if (agents.isEmpty()) {
      return planned.steps();
    }
    List<ProposedStep> fitted = new ArrayList<>();
    for (ProposedStep step : planned.steps()) {
      ProposedStep placed = place(step, agents).orElseGet(() -> llmStep(planned.clause(), agents));
      if (!fitted.contains(placed)) {
        fitted.add(placed);
      }
    }
    return fitted;
  }

  private static Optional<ProposedStep> place(ProposedStep step, List<AgentProfile> agents) {
    boolean chosenFits =
        agents.stream()
            .anyMatch(a -> a.name().equals(step.agent()) && a.tools().contains(step.tool()));
    if (chosenFits) {
      return Optional.of(step);
    }
    return agents.stream()
        .filter(a -> a.tools().contains(step.tool()))
        .findFirst()
        .map(a -> new ProposedStep(step.description(), a.name(), step.tool(), step.input()));
  }

  private static ProposedStep llmStep(String clause, List<AgentProfile> agents) {
    ProposedStep writer = writerStep(clause);
    return place(writer, agents).orElse(writer);
  }

  private static void addCapability(
      List<Capability> capabilities, List<Planned> planned, String tool, Capability capability) {
    boolean used =
        planned.stream()
            .flatMap(clause -> clause.steps().stream())
            .anyMatch(step -> step.tool().equals(tool));
    if (used) {
      capabilities.add(capability);
    }
  }

  private static Complexity complexity(int clauses) {
    if (clauses <= 1) {
      return Complexity.LOW;
    }
    return clauses <= 3 ? Complexity.MEDIUM : Complexity.HIGH;
  }

  /** The clauses joined into one sentence, or the whole task when no clause is usable. */
  private static String summarize(String task, List<Planned> planned) {
    if (planned.isEmpty()) {
      String whole = task == null ? "" : collapse(task);
      return whole.isEmpty() ? "An empty task." : abbreviate(whole, MAX_SUMMARY_CHARS);
    }
    StringBuilder sentence = new StringBuilder();
    String last = "";
    for (Planned clause : planned) {
      last = clause.clause();
      String bare = trimEnd(last, PUNCTUATION);
      if (sentence.length() == 0) {
        sentence.append(capitalize(bare));
      } else {
        sentence.append(", then ").append(decapitalize(bare));
      }
    }
    char end = last.charAt(last.length() - 1);
    sentence.append(end == '?' || end == '!' ? end : '.');
    return abbreviate(sentence.toString(), MAX_SUMMARY_CHARS);
  }

  private static String firstSentence(String prompt) {
    if (prompt == null || prompt.isBlank()) {
      return "";
    }
    Masked masked = Masked.of(normalizeWhitespace(prompt.strip()));
    for (String part : masked.text().split("\\R|(?<=[.?!])\\s+")) {
      String sentence = collapse(masked.reveal(part));
      if (USABLE.matcher(sentence).find()) {
        return abbreviate(sentence, MAX_SUMMARY_CHARS);
      }
    }
    return "";
  }

  private static String abbreviate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String cut = text.substring(0, max - ELLIPSIS.length());
    int space = cut.lastIndexOf(' ');
    if (space > max / 2) {
      cut = cut.substring(0, space);
    }
    return trimEnd(cut, PUNCTUATION) + ELLIPSIS;
  }

  /** Strips trailing white space and the given punctuation marks. */
  private static String trimEnd(String text, String marks) {
    int end = text.length();
    while (end > 0) {
      char last = text.charAt(end - 1);
      if (!Character.isWhitespace(last) && marks.indexOf(last) < 0) {
        break;
      }
      end--;
    }
    return text.substring(0, end);
  }

  /**
   * Turns each run of white space into one line break if it holds one, else into one space, in a
   * single pass: the clause patterns then never scan a long run of white space again and again.
   */
  private static String normalizeWhitespace(String text) {
    StringBuilder normalized = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        normalized.append(c);
        i++;
        continue;
      }
      boolean lineBreak = false;
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        lineBreak |= text.charAt(i) == '\n' || text.charAt(i) == '\r';
        i++;
      }
      normalized.append(lineBreak ? '\n' : ' ');
    }
    return normalized.toString();
  }

  private static String collapse(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip();
  }

  private static long wordCount(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : WHITESPACE.split(stripped).length;
  }

  private static String capitalize(String text) {
    if (text.isEmpty() || !Character.isLowerCase(text.charAt(0))) {
      return text;
    }
    return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  /** Lower-cases the first letter unless the word looks like an acronym ("URL", "AARD"). */
  private static String decapitalize(String text) {
    if (text.length() < 2
        || !Character.isUpperCase(text.charAt(0))
        || Character.isUpperCase(text.charAt(1))) {
      return text;
    }
    return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }
}
