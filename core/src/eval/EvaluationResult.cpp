// The keys of an evaluation document are written and read here only (RetrievalMetrics,
// RankSummary and AttackResult serialise through the same functions).
#include "poisonlab/core/eval/EvaluationResult.h"

#include "poisonlab/core/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace poisonlab::eval {

using nlohmann::json;

namespace {

// --- writing -------------------------------------------------------------------------------

void putNumber(json &j, const char *key, double v)
{
    if (!std::isnan(v))
        j[key] = v;
}

void putCount(json &j, const char *key, const std::optional<std::int64_t> &v)
{
    if (v)
        j[key] = *v;
}

json recallJson(const RecallFigures &r)
{
    json j = json::object();
    putNumber(j, "r1", r.r1);
    putNumber(j, "r5", r.r5);
    putNumber(j, "r10", r.r10);
    putNumber(j, "mean_rank", r.meanRank);
    putNumber(j, "median_rank", r.medianRank);
    putCount(j, "queries", r.queries);
    putCount(j, "tied", r.tied);
    return j;
}

json utilityJson(const UtilityFigures &u)
{
    json j = json::object();
    if (json t = recallJson(u.textRetrieval); !t.empty())
        j["text_retrieval"] = std::move(t);
    if (json i = recallJson(u.imageRetrieval); !i.empty())
        j["image_retrieval"] = std::move(i);
    putNumber(j, "r_mean", u.rMean);
    return j;
}

json rankJson(const RankFigures &r)
{
    json j = json::object();
    putCount(j, "queries", r.queries);
    for (const auto &[k, share] : r.hits)
        j["hit@" + std::to_string(k)] = share;
    putNumber(j, "minrank_mean", r.minRankMean);
    putNumber(j, "minrank_median", r.minRankMedian);
    putCount(j, "minrank_min", r.minRankMin);
    putCount(j, "minrank_max", r.minRankMax);
    putCount(j, "tied", r.tied);
    if (r.minRanks)
        j["minranks"] = *r.minRanks;
    return j;
}

json attackJson(const AttackFigures &a)
{
    json j = a.extra.is_object() ? a.extra : json::object();
    j["name"] = a.name;
    if (!a.sourceClass.empty())
        j["source_class"] = a.sourceClass;
    if (a.targetClasses)
        j["target_classes"] = *a.targetClasses;
    putCount(j, "target_image", a.targetImage);
    if (!a.querySplit.empty())
        j["query_split"] = a.querySplit;
    j["attack"] = rankJson(a.attack);
    j["baseline"] = rankJson(a.baseline);
    return j;
}

// --- reading -------------------------------------------------------------------------------

/// Reads one object of the document; `where` is its path for messages, e.g. "attacks"[0]."attack".
class Reader {
public:
    Reader(const json &j, std::string where) : m_json(j), m_where(std::move(where))
    {
        if (!j.is_object())
            fail("must be a JSON object, got " + j.dump());
    }

    [[noreturn]] void fail(const std::string &problem, const std::string &key = {}) const
    {
        throw Error("evaluation " + (key.empty() ? m_where : path(key)) + " " + problem);
    }
    std::string path(const std::string &key) const
    {
        return (m_where.empty() ? "" : m_where + ".") + "\"" + key + "\"";
    }
    /// The value at key, null when absent (null values count as absent).
    const json *find(const std::string &key)
    {
        m_seen.insert(key);
        auto it = m_json.find(key);
        return it == m_json.end() || it->is_null() ? nullptr : &*it;
    }
    double number(const std::string &key)
    {
        const json *v = find(key);
        if (!v)
            return kAbsent;
        if (!v->is_number())
            fail("must be a number, got " + v->dump(), key);
        return v->get<double>();
    }
    std::optional<std::int64_t> count(const std::string &key)
    {
        const json *v = find(key);
        if (!v)
            return std::nullopt;
        if (!v->is_number_integer())
            fail("must be an integer, got " + v->dump(), key);
        return v->get<std::int64_t>();
    }
    std::string text(const std::string &key)
    {
        const json *v = find(key);
        if (!v)
            return {};
        if (!v->is_string())
            fail("must be a string, got " + v->dump(), key);
        return v->get<std::string>();
    }
    std::optional<std::vector<std::string>> texts(const std::string &key)
    {
        const json *v = find(key);
        if (!v)
            return std::nullopt;
        if (!v->is_array() || !std::all_of(v->begin(), v->end(), [](const json &e) { return e.is_string(); }))
            fail("must be a list of strings, got " + v->dump(), key);
        return v->get<std::vector<std::string>>();
    }
    /// Keys not read so far: an error (`keep` null) or copied into `keep`.
    void rest(json *keep)
    {
        for (auto it = m_json.begin(); it != m_json.end(); ++it)
            if (!m_seen.count(it.key())) {
                if (!keep)
                    fail("is not a key of the evaluation's figures", it.key());
                (*keep)[it.key()] = it.value();
            }
    }
    const json &value() const { return m_json; }
    const std::string &where() const { return m_where; }

private:
    const json &m_json;
    std::string m_where;
    std::set<std::string> m_seen;
};

RecallFigures readRecall(const json &j, const std::string &where)
{
    Reader in(j, where);
    RecallFigures r;
    r.r1 = in.number("r1");
    r.r5 = in.number("r5");
    r.r10 = in.number("r10");
    r.meanRank = in.number("mean_rank");
    r.medianRank = in.number("median_rank");
    r.queries = in.count("queries");
    r.tied = in.count("tied");
    in.rest(nullptr);
    return r;
}

UtilityFigures readUtility(const json &j, const std::string &where)
{
    Reader in(j, where);
    UtilityFigures u;
    if (const json *t = in.find("text_retrieval"))
        u.textRetrieval = readRecall(*t, in.path("text_retrieval"));
    if (const json *i = in.find("image_retrieval"))
        u.imageRetrieval = readRecall(*i, in.path("image_retrieval"));
    u.rMean = in.number("r_mean");
    in.rest(nullptr);
    return u;
}

/// K of a "hit@K" key, 0 when the key is not one (as written: "hit@" + the decimal K).
int hitK(const std::string &key)
{
    if (key.rfind("hit@", 0) != 0 || key.size() < 5 || key.size() > 13)
        return 0;
    const std::string digits = key.substr(4);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return 0;
    const long long k = std::stoll(digits);
    return k >= 1 && k <= std::numeric_limits<int>::max() && std::to_string(k) == digits ? int(k) : 0;
}

RankFigures readRank(const json &j, const std::string &where)
{
    Reader in(j, where);
    RankFigures r;
    r.queries = in.count("queries");
    for (auto it = j.begin(); it != j.end(); ++it)
        if (const int k = hitK(it.key()))
            if (const double share = in.number(it.key()); !std::isnan(share))
                r.hits[k] = share;
    r.minRankMean = in.number("minrank_mean");
    r.minRankMedian = in.number("minrank_median");
    r.minRankMin = in.count("minrank_min");
    r.minRankMax = in.count("minrank_max");
    r.tied = in.count("tied");
    if (const json *ranks = in.find("minranks")) {
        if (!ranks->is_array() ||
            !std::all_of(ranks->begin(), ranks->end(), [](const json &e) { return e.is_number_integer(); }))
            in.fail("must be a list of integers", "minranks");
        r.minRanks = ranks->get<std::vector<std::int64_t>>();
    }
    in.rest(nullptr);
    return r;
}

AttackFigures readAttack(const json &j, const std::string &where)
{
    Reader in(j, where);
    AttackFigures a;
    a.name = in.text("name");
    a.sourceClass = in.text("source_class");
    a.targetClasses = in.texts("target_classes");
    a.targetImage = in.count("target_image");
    a.querySplit = in.text("query_split");
    if (const json *r = in.find("attack"))
        a.attack = readRank(*r, in.path("attack"));
    if (const json *b = in.find("baseline"))
        a.baseline = readRank(*b, in.path("baseline"));
    in.rest(&a.extra);
    return a;
}

UtilityGallery readGallery(const json &j, const std::string &where)
{
    Reader in(j, where);
    UtilityGallery g;
    g.dataset = in.text("dataset");
    g.split = in.text("split");
    g.galleryImages = in.count("gallery_images");
    g.captions = in.count("captions");
    in.rest(nullptr);
    return g;
}

} // namespace

RecallFigures RecallFigures::from(const RecallAtK &r)
{
    return {r.r1, r.r5, r.r10, r.meanRank, r.medianRank, r.queries, r.tied};
}

UtilityFigures UtilityFigures::from(const RetrievalMetrics &m)
{
    const RecallAtK &t = m.textRetrieval, &i = m.imageRetrieval;
    return {RecallFigures::from(t), RecallFigures::from(i), (t.r1 + t.r5 + t.r10 + i.r1 + i.r5 + i.r10) / 6.0};
}

double RankFigures::hitAt(int k) const
{
    auto it = hits.find(k);
    return it == hits.end() ? kAbsent : it->second;
}

RankFigures RankFigures::from(const RankSummary &s, bool withRanks)
{
    RankFigures r;
    r.queries = s.queries;
    for (std::size_t i = 0; i < s.ks.size() && i < s.hits.size(); ++i)
        r.hits[s.ks[i]] = s.hits[i];
    r.minRankMean = s.meanMinRank;
    r.minRankMedian = s.medianMinRank;
    r.minRankMin = s.minMinRank;
    r.minRankMax = s.maxMinRank;
    r.tied = s.tied;
    if (withRanks)
        r.minRanks = s.minRanks;
    return r;
}

std::string AttackFigures::label() const
{
    return name.empty() ? sourceClass : name;
}

json EvaluationResult::toJson() const
{
    json j = extra.is_object() ? extra : json::object();
    if (!split.empty())
        j["split"] = split;
    if (ties)
        j["ties"] = tiesName(*ties);
    putCount(j, "gallery_images", galleryImages);
    putCount(j, "captions", captions);
    j["utility"] = utilityJson(utility);
    if (utilityGallery) {
        json g = {{"dataset", utilityGallery->dataset}, {"split", utilityGallery->split}};
        putCount(g, "gallery_images", utilityGallery->galleryImages);
        putCount(g, "captions", utilityGallery->captions);
        j["utility_gallery"] = std::move(g);
    }
    json list = json::array();
    for (const auto &a : attacks)
        list.push_back(attackJson(a));
    j["attacks"] = std::move(list);
    return j;
}

bool EvaluationResult::isEvaluation(const json &j)
{
    return j.is_object() && (j.contains("utility") || j.contains("attacks"));
}

EvaluationResult EvaluationResult::fromJson(const json &j)
{
    if (!isEvaluation(j))
        throw Error("an evaluation must be a JSON object with \"utility\" or \"attacks\", got " +
                    (j.is_object() ? "an object without them" : j.dump()));
    Reader in(j, "");
    EvaluationResult r;
    r.split = in.text("split");
    if (const json *t = in.find("ties")) {
        const auto ties = t->is_string() ? parseTies(t->get<std::string>()) : std::nullopt;
        if (!ties)
            in.fail(std::string("must be ") + kTiesChoices + ", got " + t->dump(), "ties");
        r.ties = *ties;
    }
    r.galleryImages = in.count("gallery_images");
    r.captions = in.count("captions");
    if (const json *u = in.find("utility"))
        r.utility = readUtility(*u, in.path("utility"));
    if (const json *g = in.find("utility_gallery"))
        r.utilityGallery = readGallery(*g, in.path("utility_gallery"));
    if (const json *list = in.find("attacks")) {
        if (!list->is_array())
            in.fail("must be a list of goals, got " + list->dump(), "attacks");
        for (std::size_t i = 0; i < list->size(); ++i)
            r.attacks.push_back(readAttack((*list)[i], in.path("attacks") + "[" + std::to_string(i) + "]"));
    }
    in.rest(&r.extra);
    return r;
}

const AttackFigures *EvaluationResult::attack(const std::string &name) const
{
    for (const auto &a : attacks)
        if (a.label() == name)
            return &a;
    return nullptr;
}

EvaluationResult EvaluationResult::figuresOnly() const
{
    EvaluationResult r;
    r.utility = utility;
    r.attacks = attacks;
    return r;
}

// The metric types' own JSON (the same keys as in an evaluation document).

json RetrievalMetrics::toJson() const
{
    return utilityJson(UtilityFigures::from(*this));
}

json RankSummary::toJson(bool withRanks) const
{
    return rankJson(RankFigures::from(*this, withRanks));
}

json AttackResult::toJson(bool withRanks) const
{
    AttackFigures a;
    a.name = name;
    a.attack = RankFigures::from(attack, withRanks);
    a.baseline = RankFigures::from(baseline, withRanks);
    if (withRanks)
        a.extra["baseline_rows"] = baselineRows;
    return attackJson(a);
}

} // namespace poisonlab::eval
