// The paper's post-training defense: fine-tune the poisoned model on clean data and watch the
// attack's Hit@K fall (and what it costs in utility) epoch by epoch, per learning rate.
#include "poisonlab/core/Error.h"
#include "poisonlab/core/JsonValue.h"
#include "poisonlab/core/plugin/DefensePlugin.h"
#include "poisonlab/core/train/TrainOptions.h"

#include <algorithm>

namespace {

using namespace poisonlab;
using namespace poisonlab::defense;
using nlohmann::json;

/// posttrain.json's record of one epoch: {"epoch", "utility", "attacks"}.
json epochRecord(int epoch, const eval::EvaluationResult &evaluation)
{
    json record = evaluation.figuresOnly().toJson();
    record["epoch"] = epoch;
    return record;
}

class CleanFineTuneDefense final : public DefensePlugin {
public:
    void validate(const json &options, const DefenseEnvironment &environment) const override
    {
        if (!options.is_object())
            fail("options must be a JSON object");
        if (!environment.poisoned)
            fail("needs a poisoned model, and this experiment names no attack");
        if (!options.contains("dataset") || !options["dataset"].is_string())
            fail("option \"dataset\" is required: the name of a clean dataset in the experiment's \"datasets\"");
        const std::string dataset = options["dataset"].get<std::string>();
        if (std::find(environment.datasets.begin(), environment.datasets.end(), dataset) ==
            environment.datasets.end()) {
            std::string known;
            for (const auto &d : environment.datasets)
                known += (known.empty() ? "" : ", ") + d;
            fail("option \"dataset\" names \"" + dataset +
                 "\", which the experiment does not define (defined: " + known + ")");
        }
        const std::string split = options.value("split", std::string("train"));
        if (split != "train" && split != "val" && split != "test" && split != "all")
            fail("option \"split\" must be train, val, test or all, got \"" + split + "\"");
        if (options.contains("epochs") &&
            (!isNonNegativeInteger(options["epochs"]) || options["epochs"].get<long long>() < 1))
            fail("option \"epochs\" must be a positive integer, got " + options["epochs"].dump());
        learningRates(options);
        if (options.contains("training")) {
            const json &t = options["training"];
            if (!t.is_object())
                fail("option \"training\" must be an object of training options");
            if (t.contains("epochs") || t.contains("learningRate"))
                fail("option \"training\" must not set epochs or learningRate (use \"epochs\" and "
                     "\"learning_rates\")");
            try {
                train::TrainOptions::fromJson(t).validate();
            } catch (const Error &e) {
                fail(std::string("option \"training\": ") + e.what());
            }
        }
    }

    json postTrain(const json &options, const PostTrainingContext &context) const override
    {
        FineTuneRequest request;
        request.dataset = options.at("dataset").get<std::string>();
        request.split = options.value("split", std::string("train"));
        request.epochs = options.value("epochs", 1);
        request.training = options.value("training", json::object());
        const json before = epochRecord(0, context.evaluatePoisoned());
        json runs = json::array();
        for (double lr : learningRates(options)) {
            request.learningRate = lr;
            json evaluations = json::array({before});
            context.fineTune(request, [&](int epoch, const eval::EvaluationResult &evaluation) {
                evaluations.push_back(epochRecord(epoch, evaluation));
            });
            runs.push_back({{"learning_rate", lr}, {"evaluations", evaluations}});
        }
        return {{"defense", metadata().id}, {"dataset", request.dataset},   {"split", request.split},
                {"epochs", request.epochs}, {"training", request.training}, {"runs", runs}};
    }

private:
    std::vector<double> learningRates(const json &options) const
    {
        if (!options.contains("learning_rates"))
            return {1e-3, 1e-4, 1e-5};
        const json &list = options["learning_rates"];
        if (!list.is_array() || list.empty())
            fail("option \"learning_rates\" must be a non-empty list of positive numbers, got " + list.dump());
        std::vector<double> out;
        for (const auto &v : list) {
            if (!v.is_number() || !(v.get<double>() > 0))
                fail("option \"learning_rates\" must hold positive numbers only, got " + v.dump());
            out.push_back(v.get<double>());
        }
        return out;
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(CleanFineTuneDefense)
