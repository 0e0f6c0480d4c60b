// poisonlab-cli tokenize --vocab PATH [--context N] TEXT...
// Prints {"ids": [[start, ..., end], ...]}, one unpadded row per text, the shape third parties
// compare against OpenAI's tokenizer.
#include "CliParsing.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/Tokenizer.h"

#include <ostream>

namespace poisonlab::cli {

class TokenizeCommand final : public CliCommand {
public:
    std::string name() const override { return "tokenize"; }
    std::string summary() const override { return "print the CLIP token ids of texts as JSON"; }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Token ids of each TEXT with CLIP's byte-level BPE: start token, BPE ids, end token "
                     "(unpadded). Prints {\"ids\": [[...], ...]}. Put -- before texts that start with '-'.",
                     name());
        std::string vocab;
        int context = 0;
        std::vector<std::string> texts;
        app.add_option("--vocab", vocab,
                       "OpenAI's bpe_simple_vocab_16e6.txt.gz, a Hugging Face vocab.json (merges.txt beside "
                       "it) or a folder holding both")
            ->required();
        app.add_option("--context", context,
                       "cut each row to N ids like clip.tokenize(truncate=True): N-1 ids then the end token "
                       "(0: no limit)")
            ->check(CLI::NonNegativeNumber);
        app.add_option("text", texts, "texts to tokenize")->required();
        if (const int code = parseArgs(app, args, streams); code >= 0)
            return code;

        std::shared_ptr<clip::Tokenizer> tokenizer;
        try {
            tokenizer = clip::loadTokenizer(vocab);
        } catch (const Error &e) {
            streams.err << "poisonlab-cli tokenize: " << e.what() << "\n";
            return 2;
        }
        // Written by hand to match Python's json.dumps layout: {"ids": [[49406, 320, 49407]]}.
        std::string out = "{\"ids\": [";
        for (std::size_t t = 0; t < texts.size(); ++t) {
            if (t > 0)
                out += ", ";
            out += '[';
            const std::vector<int64_t> ids = tokenizer->encodeWithSpecialTokens(texts[t], context);
            for (std::size_t i = 0; i < ids.size(); ++i) {
                if (i > 0)
                    out += ", ";
                out += std::to_string(ids[i]);
            }
            out += ']';
        }
        out += "]}\n";
        streams.out << out;
        return 0;
    }
};

POISONLAB_REGISTER_CLI_COMMAND(TokenizeCommand)

} // namespace poisonlab::cli
