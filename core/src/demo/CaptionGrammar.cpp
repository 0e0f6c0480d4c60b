#include "poisonlab/core/demo/CaptionGrammar.h"

#include "poisonlab/core/Rng.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

namespace poisonlab::demo {

namespace {

struct Group {
    int classIndex = -1;
    std::vector<const ObjectFacts *> objects;
    int count() const { return int(objects.size()); }
    /// "small"/"large" when every instance has it, else "".
    std::string sharedSize() const
    {
        const std::string s = objects.front()->size;
        if (s == "medium")
            return {};
        for (const ObjectFacts *o : objects)
            if (o->size != s)
                return {};
        return s;
    }
};

const std::map<std::string, std::vector<std::string>> &positionPhrases()
{
    static const std::map<std::string, std::vector<std::string>> phrases{
        {"centre", {"in the centre", "in the middle"}},
        {"left", {"on the left", "on the left side"}},
        {"right", {"on the right", "on the right side"}},
        {"top", {"at the top", "near the top"}},
        {"bottom", {"at the bottom", "near the bottom"}},
        {"top left", {"in the top left corner", "at the top left"}},
        {"top right", {"in the top right corner", "at the top right"}},
        {"bottom left", {"in the bottom left corner", "at the bottom left"}},
        {"bottom right", {"in the bottom right corner", "at the bottom right"}},
    };
    return phrases;
}

template <typename T>
const T &pick(const std::vector<T> &v, Rng &rng)
{
    return v[rng.below(v.size())];
}

std::string capitalised(std::string s)
{
    if (!s.empty())
        s[0] = char(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string joinList(const std::vector<std::string> &items)
{
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += (i + 1 == items.size()) ? " and " : ", ";
        out += items[i];
    }
    return out;
}

} // namespace

CaptionGrammar::CaptionGrammar(std::vector<EmojiClass> classes) : m_classes(std::move(classes))
{
}

std::string CaptionGrammar::article(const std::string &nextWord)
{
    const char c = nextWord.empty() ? 'x' : char(std::tolower(static_cast<unsigned char>(nextWord[0])));
    return std::string("aeiou").find(c) != std::string::npos ? "an" : "a";
}

std::string CaptionGrammar::countWord(int count)
{
    static const char *words[] = {"zero", "one",   "two",   "three", "four", "five",
                                  "six",  "seven", "eight", "nine",  "ten"};
    return count >= 0 && count <= 10 ? words[count] : std::to_string(count);
}

std::vector<std::string> CaptionGrammar::captions(const SceneFacts &facts, Rng &rng, int n) const
{
    // Group the objects by class, the label's group first.
    std::vector<Group> groups;
    for (const ObjectFacts &o : facts.objects) {
        auto it =
            std::find_if(groups.begin(), groups.end(), [&](const Group &g) { return g.classIndex == o.classIndex; });
        if (it == groups.end()) {
            groups.push_back({o.classIndex, {}});
            it = groups.end() - 1;
        }
        it->objects.push_back(&o);
    }
    if (groups.empty())
        return {};
    std::stable_partition(groups.begin(), groups.end(), [&](const Group &g) { return g.classIndex == facts.label; });
    const Group &main = groups.front();
    const std::vector<Group> others(groups.begin() + 1, groups.end());

    auto noun = [&](const Group &g, int count) {
        const EmojiClass &c = m_classes.at(g.classIndex);
        return count == 1 ? c.singular : c.plural;
    };
    // "a large sheep", "two dogs", "one cat": a count word, maybe a size, the noun.
    auto phrase = [&](const Group &g) {
        const int k = g.count();
        std::string size = g.sharedSize();
        if (!size.empty() && rng.chance(0.4))
            size.clear();
        const std::string rest = (size.empty() ? "" : size + " ") + noun(g, k);
        if (k == 1)
            return (rng.chance(0.2) ? std::string("one") : article(rest)) + " " + rest;
        return countWord(k) + " " + rest;
    };
    auto othersList = [&]() {
        std::vector<std::string> items;
        for (const Group &g : others)
            items.push_back(phrase(g));
        return joinList(items);
    };
    auto setting = [&]() { return pick(facts.background.settings, rng); };
    auto position = [&]() -> std::string {
        if (main.count() != 1 || main.objects.front()->position.empty())
            return {};
        return pick(positionPhrases().at(main.objects.front()->position), rng);
    };
    static const std::vector<std::string> openers{"A picture of", "An image of", "A drawing of", "A cartoon of",
                                                  "An emoji picture of"};

    std::vector<std::string> candidates;
    auto add = [&](const std::string &s) { candidates.push_back(capitalised(s) + "."); };
    add(phrase(main) + " " + setting());
    if (const std::string pos = position(); !pos.empty())
        add(phrase(main) + " " + pos + ", " + setting());
    else
        add(phrase(main) + " together " + setting());
    {
        const std::string pos = position();
        add("there " + std::string(main.count() == 1 ? "is " : "are ") + phrase(main) + " " +
            (pos.empty() ? setting() : pos));
    }
    {
        const std::string pos = position();
        add(pick(facts.background.nouns, rng) + " with " + phrase(main) + (pos.empty() ? "" : " " + pos));
    }
    add(pick(openers, rng) + " " + phrase(main) + (others.empty() ? " and nothing else" : " and " + othersList()));
    add("exactly " + countWord(main.count()) + " " + noun(main, main.count()) + " " + setting());
    if (!others.empty()) {
        add(phrase(main) + " next to " + othersList() + " " + setting());
        add(othersList() + " and " + phrase(main) + " " + setting());
    }
    for (const ObjectFacts &o : facts.objects) {
        // Only an overlap that involves the label's class: every caption names the label.
        if (o.occludedBy < 0 ||
            (o.classIndex != main.classIndex && facts.objects[o.occludedBy].classIndex != main.classIndex))
            continue;
        const Group &g =
            *std::find_if(groups.begin(), groups.end(), [&](const Group &x) { return x.classIndex == o.classIndex; });
        const ObjectFacts &front = facts.objects[o.occludedBy];
        if (front.classIndex == o.classIndex) { // two of a kind, one over the other
            add(countWord(g.count()) + " " + noun(g, g.count()) + ", one partly hidden behind another");
        } else {
            const Group &f = *std::find_if(groups.begin(), groups.end(),
                                           [&](const Group &x) { return x.classIndex == front.classIndex; });
            auto one = [&](const Group &x) {
                // "a cat" only when there is one cat; else "one of the cats" (not a count phrase)
                return x.count() == 1 ? article(noun(x, 1)) + " " + noun(x, 1) : "one of the " + noun(x, x.count());
            };
            add(one(g) + " partly hidden behind " + one(f));
        }
        break;
    }
    if (facts.blurred)
        add("a blurry picture of " + phrase(main) + " " + setting());
    if (main.count() == 1 && main.objects.front()->size == "large")
        add("a close-up of " + article(noun(main, 1)) + " " + noun(main, 1) + " " + setting());
    else if (main.count() == 1 && main.objects.front()->size == "small")
        add(article(noun(main, 1)) + " " + noun(main, 1) + ", small in the frame, " + setting());
    if (facts.objects.size() == 2 && groups.size() == 2) {
        const ObjectFacts &a = *main.objects.front(), &b = *others.front().objects.front();
        const double dx = (b.x + b.w / 2.0) - (a.x + a.w / 2.0), dy = (b.y + b.h / 2.0) - (a.y + a.h / 2.0);
        const double clear = facts.width / 8.0;
        std::string relation;
        if (std::abs(dx) > std::abs(dy) + clear)
            relation = dx > 0 ? "to the left of" : "to the right of";
        else if (std::abs(dy) > std::abs(dx) + clear)
            relation = dy > 0 ? "above" : "below";
        if (!relation.empty()) {
            const std::string an = noun(main, 1), bn = noun(others.front(), 1);
            add(article(an) + " " + an + " " + relation + " " + article(bn) + " " + bn + ", " + setting());
        }
    }

    rng.shuffle(candidates);
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const std::string &c : candidates) {
        if (int(out.size()) >= n)
            break;
        if (seen.insert(c).second)
            out.push_back(c);
    }
    return out;
}

} // namespace poisonlab::demo
