package dev.cascade.server.openai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static dev.cascade.server.openai.TestJson.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bodies each endpoint must refuse: 400, invalid_request_error, the field at fault, a useful message. */
class BadRequestTest {
    private static final String CHAT = "'model':'m','messages':[{'role':'user','content':'x'}]";
    private static final String CMPL = "'model':'m','prompt':'p'";

    static Stream<Arguments> completionBodies() {
        return Stream.of(
                // the body itself
                arguments("{'model':'m',", null, "could not parse the JSON body"),
                arguments("not json", null, "could not parse the JSON body"),
                arguments("", null, "could not parse the JSON body"),
                arguments("{'model':'m'} trailing", null, "could not parse the JSON body"),
                arguments("[1,2]", null, "must be a JSON object, got an array"),
                arguments("'just a string'", null, "must be a JSON object"),
                arguments("{'model':'m','prompt':'p','temperature':NaN}", null, "could not parse"),
                // required fields
                arguments("{'prompt':'p'}", "model", "you must provide a model parameter"),
                arguments("{'model':null,'prompt':'p'}", "model", "you must provide a model"),
                arguments("{'model':5,'prompt':'p'}", "model", "model must be a string, got a number"),
                arguments("{'model':'m'}", "prompt", "you must provide a prompt"),
                // prompt shapes
                arguments("{'model':'m','prompt':[]}", "prompt", "must not be an empty list"),
                arguments("{'model':'m','prompt':[1,2,3]}", "prompt", "token ids is not supported"),
                arguments("{'model':'m','prompt':[[1,2],[3]]}", "prompt", "token ids is not supported"),
                arguments("{'model':'m','prompt':['a',{}]}", "prompt", "a string or a list of strings, got an object"),
                arguments("{'model':'m','prompt':{'text':'p'}}", "prompt", "a string or a list of strings"),
                arguments("{'model':'m','prompt':true}", "prompt", "got a boolean"),
                // types
                arguments("{" + CMPL + ",'temperature':'0.5'}", "temperature", "temperature must be a number, got a string"),
                arguments("{" + CMPL + ",'top_p':[1]}", "top_p", "top_p must be a number"),
                arguments("{" + CMPL + ",'max_tokens':10.5}", "max_tokens", "max_tokens must be an integer"),
                arguments("{" + CMPL + ",'max_tokens':'10'}", "max_tokens", "max_tokens must be an integer, got a string"),
                arguments("{" + CMPL + ",'top_k':1.5}", "top_k", "top_k must be an integer"),
                arguments("{" + CMPL + ",'seed':1.0}", "seed", "seed must be an integer"),
                arguments("{" + CMPL + ",'n':'2'}", "n", "n must be an integer"),
                arguments("{" + CMPL + ",'stream':'true'}", "stream", "stream must be a boolean, got a string"),
                arguments("{" + CMPL + ",'stream':1}", "stream", "stream must be a boolean"),
                arguments("{" + CMPL + ",'ignore_eos':'yes'}", "ignore_eos", "ignore_eos must be a boolean"),
                arguments("{" + CMPL + ",'user':42}", "user", "user must be a string"),
                arguments("{" + CMPL + ",'logprobs':true}", "logprobs", "logprobs must be an integer"),
                arguments("{" + CMPL + ",'stop':7}", "stop", "stop must be a string or a list of strings"),
                arguments("{" + CMPL + ",'stop':['a',7]}", "stop", "got a number"),
                arguments("{" + CMPL + ",'stream':true,'stream_options':true}", "stream_options",
                        "stream_options must be an object"),
                arguments("{" + CMPL + ",'stream':true,'stream_options':{'include_usage':'yes'}}",
                        "stream_options.include_usage", "stream_options.include_usage must be a boolean"),
                // ranges
                arguments("{" + CMPL + ",'temperature':2.5}", "temperature", "between 0 and 2, got 2.5"),
                arguments("{" + CMPL + ",'temperature':-0.1}", "temperature", "between 0 and 2"),
                arguments("{" + CMPL + ",'temperature':1e999}", "temperature", "between 0 and 2"),
                arguments("{" + CMPL + ",'top_p':0}", "top_p", "greater than 0 and at most 1, got 0"),
                arguments("{" + CMPL + ",'top_p':1.01}", "top_p", "greater than 0 and at most 1"),
                // positive as a double, 0 as a float: SamplingParams' own check answers, with its param
                arguments("{" + CMPL + ",'top_p':1e-60}", "top_p", "top_p must be in (0, 1], got 0.0"),
                arguments("{" + CMPL + ",'top_k':-2}", "top_k", "top_k must be at least -1, got -2"),
                arguments("{" + CMPL + ",'min_p':1.5}", "min_p", "min_p must be between 0 and 1"),
                arguments("{" + CMPL + ",'repetition_penalty':0}", "repetition_penalty", "greater than 0"),
                arguments("{" + CMPL + ",'repetition_penalty':-1}", "repetition_penalty", "greater than 0"),
                arguments("{" + CMPL + ",'presence_penalty':2.1}", "presence_penalty", "between -2 and 2"),
                arguments("{" + CMPL + ",'frequency_penalty':-3}", "frequency_penalty", "between -2 and 2"),
                arguments("{" + CMPL + ",'max_tokens':0}", "max_tokens", "max_tokens must be at least 1, got 0"),
                arguments("{" + CMPL + ",'max_tokens':-5}", "max_tokens", "at least 1"),
                arguments("{" + CMPL + ",'max_tokens':3000000000}", "max_tokens", "at most 2147483647, got 3000000000"),
                arguments("{" + CMPL + ",'seed':18446744073709551616}", "seed", "a 64-bit integer"),
                arguments("{" + CMPL + ",'n':0}", "n", "n must be between 1 and 16, got 0"),
                arguments("{" + CMPL + ",'n':17}", "n", "n must be between 1 and 16, got 17"),
                arguments("{" + CMPL + ",'logprobs':6}", "logprobs", "logprobs must be between 0 and 5, got 6"),
                arguments("{" + CMPL + ",'logprobs':-1}", "logprobs", "between 0 and 5"),
                // stop
                arguments("{" + CMPL + ",'stop':['a','b','c','d','e']}", "stop", "at most 4 sequences, got 5"),
                arguments("{" + CMPL + ",'stop':''}", "stop", "must not contain empty strings"),
                arguments("{" + CMPL + ",'stop':['a','']}", "stop", "must not contain empty strings"),
                // streaming options
                arguments("{" + CMPL + ",'stream_options':{'include_usage':true}}", "stream_options",
                        "only allowed when stream is true"),
                arguments("{" + CMPL + ",'stream':false,'stream_options':{}}", "stream_options",
                        "only allowed when stream is true"),
                // unsupported legacy options
                arguments("{" + CMPL + ",'echo':true}", "echo", "echo is not supported"),
                arguments("{" + CMPL + ",'echo':'no'}", "echo", "echo must be a boolean"),
                arguments("{" + CMPL + ",'suffix':'end'}", "suffix", "suffix is not supported"),
                arguments("{" + CMPL + ",'best_of':3}", "best_of", "best_of is not supported"),
                arguments("{" + CMPL + ",'n':2,'best_of':3}", "best_of", "best_of is not supported"),
                arguments("{" + CMPL + ",'best_of':0}", "best_of", "at least 1"));
    }

    static Stream<Arguments> chatBodies() {
        return Stream.of(
                arguments("{'model':'m'", null, "could not parse the JSON body"),
                arguments("null", null, "must be a JSON object"),
                arguments("{'messages':[{'role':'user','content':'x'}]}", "model", "you must provide a model"),
                arguments("{'model':'m'}", "messages", "you must provide a messages parameter"),
                arguments("{'model':'m','messages':[]}", "messages", "messages must not be empty"),
                arguments("{'model':'m','messages':'hi'}", "messages", "messages must be a list of messages, got a string"),
                arguments("{'model':'m','messages':['hi']}", "messages[0]", "messages[0] must be an object, got a string"),
                arguments("{'model':'m','messages':[{'content':'x'}]}", "messages[0].role", "provide a messages[0].role"),
                arguments("{'model':'m','messages':[{'role':'user','content':'x'},{'role':'bot','content':'y'}]}",
                        "messages[1].role", "messages[1].role must be one of system, user, assistant, developer, tool, got 'bot'"),
                arguments("{'model':'m','messages':[{'role':1,'content':'x'}]}", "messages[0].role", "must be a string"),
                arguments("{'model':'m','messages':[{'role':'user'}]}", "messages[0].content", "required for role user"),
                arguments("{'model':'m','messages':[{'role':'system','content':null}]}", "messages[0].content",
                        "required for role system"),
                arguments("{'model':'m','messages':[{'role':'user','content':5}]}", "messages[0].content",
                        "must be a string or a list of content parts, got a number"),
                arguments("{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'x'}}]}]}",
                        "messages[0].content", "messages[0].content[0] has type 'image_url'"),
                arguments("{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':3}]}]}",
                        "messages[0].content", "messages[0].content[0].text must be a string"),
                arguments("{'model':'m','messages':[{'role':'user','content':[{'text':'a'}]}]}",
                        "messages[0].content", "must have a string type"),
                arguments("{'model':'m','messages':[{'role':'user','content':['a']}]}",
                        "messages[0].content", "messages[0].content[0] must be an object"),
                arguments("{'model':'m','messages':[{'role':'user','content':'x','name':7}]}", "messages[0].name",
                        "messages[0].name must be a string"),
                arguments("{'model':'m','messages':[{'role':'assistant','tool_calls':{}}]}", "messages[0].tool_calls",
                        "must be a list"),
                arguments("{" + CHAT + ",'top_logprobs':3}", "top_logprobs", "only allowed when logprobs is true"),
                arguments("{" + CHAT + ",'logprobs':false,'top_logprobs':0}", "top_logprobs", "only allowed when logprobs is true"),
                arguments("{" + CHAT + ",'logprobs':true,'top_logprobs':21}", "top_logprobs", "between 0 and 20, got 21"),
                arguments("{" + CHAT + ",'logprobs':1}", "logprobs", "logprobs must be a boolean"),
                arguments("{" + CHAT + ",'max_completion_tokens':0}", "max_completion_tokens", "at least 1"),
                arguments("{" + CHAT + ",'max_tokens':0,'max_completion_tokens':5}", "max_tokens", "at least 1"),
                arguments("{" + CHAT + ",'stop':['1','2','3','4','5']}", "stop", "at most 4"),
                arguments("{" + CHAT + ",'n':100}", "n", "between 1 and 16"),
                arguments("{" + CHAT + ",'stream_options':{'include_usage':true}}", "stream_options", "stream is true"),
                arguments("{" + CHAT + ",'temperature':3}", "temperature", "between 0 and 2"));
    }

    @ParameterizedTest
    @MethodSource("completionBodies")
    void completions(String body, String param, String fragment) {
        assertBadRequest(() -> OpenAiRequests.parseCompletion(body(body), Limits.DEFAULT), param, fragment);
    }

    @ParameterizedTest
    @MethodSource("chatBodies")
    void chat(String body, String param, String fragment) {
        assertBadRequest(() -> OpenAiRequests.parseChat(body(body), Limits.DEFAULT), param, fragment);
    }

    @Test
    void promptsBeyondTheLimit() {
        ApiException e = assertThrows(ApiException.class, () -> OpenAiRequests.parseCompletion(
                body("{'model':'m','prompt':['a','b','c']}"), new Limits(4, 2)));
        assertEquals("prompt", e.param());
        assertTrue(e.getMessage().contains("at most 2 prompts, got 3"), e.getMessage());
    }

    @Test
    void nullBodyIsNotJson() {
        ApiException e = assertThrows(ApiException.class, () -> OpenAiRequests.parseChat(null, Limits.DEFAULT));
        assertEquals(400, e.status());
        assertNull(e.param());
    }

    @Test
    void invalidUtf8IsNotJson() {
        byte[] bad = "{\"model\":\"m\",\"prompt\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        ApiException e = assertThrows(ApiException.class,
                () -> OpenAiRequests.parseCompletion(bad, Limits.DEFAULT));
        assertTrue(e.getMessage().contains("could not parse the JSON body"), e.getMessage());
    }

    @Test
    void theMessageDoesNotEchoALongBody() {
        String huge = "x".repeat(10_000);
        ApiException e = assertThrows(ApiException.class,
                () -> OpenAiRequests.parseCompletion(body("{'model':" + huge + "}"), Limits.DEFAULT));
        assertTrue(e.getMessage().length() < 2_000, e.getMessage().length() + " chars");
    }

    private static void assertBadRequest(org.junit.jupiter.api.function.Executable parse, String param,
                                         String fragment) {
        ApiException e = assertThrows(ApiException.class, parse);
        assertEquals(400, e.status());
        assertEquals("invalid_request_error", e.type());
        assertEquals(param, e.param(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
