#pragma once

#include <QSortFilterProxyModel>
#include <QTimer>

#include <string>
#include <vector>

namespace poisonlab::ui {

class PairTableModel;

/// Filters and sorts a PairTableModel: by class, split, poison status and caption text, and
/// optionally keeps one row per image (the first matching caption) for the thumbnail grid.
/// Filters read the dataset directly, never through data(), so 600k rows filter in milliseconds.
class PairFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Poison { Any, PoisonedOnly, CleanOnly };

    explicit PairFilterProxyModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    PairTableModel *pairModel() const { return m_pairs; }

    /// A class index, or -1 for all. A pair matches when its caption's class or its image's
    /// label is that class (so poisoned pairs show under both their classes).
    void setClassFilter(int cls);
    int classFilter() const { return m_class; }
    /// A data::Split as int, or -1 for all.
    void setSplitFilter(int split);
    int splitFilter() const { return m_split; }
    void setPoisonFilter(Poison poison);
    Poison poisonFilter() const { return m_poison; }
    void setOnePerImage(bool on);
    bool onePerImage() const { return m_onePerImage; }

    /// Caption search, applied after searchDebounce() ms of quiet (typing stays smooth).
    /// Whitespace-separated words must all occur, case-insensitively.
    void setSearchText(const QString &text);
    /// The same, at once.
    void applySearchText(const QString &text);
    QString searchText() const { return m_searchText; }
    void setSearchDebounce(int ms) { m_debounce.setInterval(ms); }
    int searchDebounce() const { return m_debounce.interval(); }

    /// Only pairs of these images (dataset image indices), e.g. a selection made in an analysis
    /// view; `description` says where it came from. An empty list clears it.
    void setImageSubset(const QList<int> &images, const QString &description = {});
    void clearImageSubset() { setImageSubset({}); }
    bool hasImageSubset() const { return !m_subset.empty(); }
    int imageSubsetSize() const { return m_subsetSize; }
    QString imageSubsetDescription() const { return m_subsetDescription; }

    /// Whether a caption passes the class/split/poison/text/subset filters (ignores one-per-image).
    bool captionMatches(int caption) const;

Q_SIGNALS:
    /// A change of any filter took effect (rowCount() is now up to date).
    void filterApplied();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    PairTableModel *m_pairs = nullptr;
    int m_class = -1;
    int m_split = -1;
    Poison m_poison = Poison::Any;
    bool m_onePerImage = false;
    std::vector<char> m_subset; ///< per image: kept; empty = no subset
    int m_subsetSize = 0;
    QString m_subsetDescription;
    QString m_searchText;
    QString m_pendingSearch;
    std::vector<std::string> m_asciiTerms; // lower-case UTF-8 terms
    QStringList m_unicodeTerms;            // terms with non-ASCII letters: matched through QString
    QTimer m_debounce;
};

} // namespace poisonlab::ui
