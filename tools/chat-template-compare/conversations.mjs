// The fixed conversations every template is rendered over. Each case is rendered twice, with
// add_generation_prompt false and true. `extra` holds the variables besides messages and
// add_generation_prompt (bos_token and eos_token are added per template from its config).

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather in a city",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name, e.g. Zürich" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["city"],
    },
  },
};

const timeTool = {
  type: "function",
  function: {
    name: "get_time",
    description: "Current time in a time zone",
    parameters: { type: "object", properties: { tz: { type: "string" } }, required: ["tz"] },
  },
};

export const conversations = [
  {
    name: "single-user",
    messages: [{ role: "user", content: "Hello!" }],
  },
  {
    name: "system-user",
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "What is 2 + 2?" },
    ],
  },
  {
    name: "two-turns",
    messages: [
      { role: "user", content: "Hi there" },
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: "Tell me a joke." },
    ],
  },
  {
    name: "system-three-turns-ending-assistant",
    messages: [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "Capital of France?" },
      { role: "assistant", content: "Paris." },
      { role: "user", content: "And of Italy?" },
      { role: "assistant", content: "Rome." },
      { role: "user", content: "Spain?" },
      { role: "assistant", content: "Madrid." },
    ],
  },
  {
    name: "unicode",
    messages: [
      { role: "user", content: "Grüße aus Zürich! 你好，世界 🎉👩‍👩‍👧 — «naïve» café ½ \u00a0nbsp" },
      { role: "assistant", content: "Привет! こんにちは 😀" },
      { role: "user", content: "עברית ومرحبا" },
    ],
  },
  {
    name: "jinja-looking-content",
    messages: [
      { role: "system", content: "Literal {{ x }} and {% if true %}tags{% endif %} and {# comments #}" },
      { role: "user", content: "Please print {{ messages }} and '{%- raw -%}' \"quoted\" \\ backslash" },
    ],
  },
  {
    name: "whitespace-content",
    messages: [
      { role: "user", content: "  padded with spaces  \n\n" },
      { role: "assistant", content: "\n\tTabbed\nlines\n" },
      { role: "user", content: "" },
    ],
  },
  {
    name: "tool-call",
    messages: [
      { role: "system", content: "You can call tools." },
      { role: "user", content: "What's the weather in Paris?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { type: "function", function: { name: "get_weather", arguments: { city: "Paris", unit: "celsius" } } },
        ],
      },
      { role: "tool", content: '{"temperature": 21, "condition": "sunny"}' },
      { role: "assistant", content: "It is 21 °C and sunny in Paris." },
    ],
    extra: { tools: [weatherTool] },
  },
  {
    name: "tool-calls-parallel-string-arguments",
    messages: [
      { role: "user", content: "Weather in Paris and the time in Tokyo?" },
      {
        role: "assistant",
        content: "Let me check both.",
        tool_calls: [
          { type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } },
          { type: "function", function: { name: "get_time", arguments: { tz: "Asia/Tokyo" } } },
        ],
      },
      { role: "tool", content: "sunny, 21" },
      { role: "tool", content: "09:30" },
    ],
    extra: { tools: [weatherTool, timeTool] },
  },
  {
    name: "reasoning-in-content",
    messages: [
      { role: "user", content: "Is 7 prime?" },
      { role: "assistant", content: "<think>\nIt has no divisors but 1 and 7.\n</think>\n\nYes, 7 is prime." },
      { role: "user", content: "And 9?" },
      { role: "assistant", content: "<think>\n9 = 3 * 3.\n</think>\n\nNo." },
    ],
  },
  {
    name: "reasoning-content-field",
    messages: [
      { role: "user", content: "Pick a colour." },
      { role: "assistant", content: "Blue.", reasoning_content: "\nThe user wants any colour.\n" },
      { role: "user", content: "Why?" },
    ],
  },
  {
    name: "thinking-disabled",
    messages: [{ role: "user", content: "Quick answer: 3 * 4?" }],
    extra: { enable_thinking: false },
  },
];
