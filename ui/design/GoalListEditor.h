#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

#include <memory>

class QPushButton;
class QTableWidget;

namespace poisonlab::ui {

class ClassPicker;
struct TrainingSetSummary;

/// Several (A → B) goals: a table of rows, each class picked from the training set, with Add and
/// Remove. value() is the plugin's "goals" list [{"source": A, "target": B}, ...]; edited() only
/// for the user's changes.
class GoalListEditor : public QWidget {
    Q_OBJECT
public:
    explicit GoalListEditor(QWidget *parent = nullptr);

    nlohmann::json value() const;
    void setValue(const nlohmann::json &goals); ///< a list of {source, target}; anything else: no rows
    void setTrainingSet(std::shared_ptr<const TrainingSetSummary> summary);
    int rowCount() const;
    ClassPicker *picker(int row, int column) const; ///< column 0: A, 1: B

public Q_SLOTS:
    void addGoal();
    void removeGoal();

Q_SIGNALS:
    void edited();

private:
    void appendRow(const QString &source, const QString &target);
    void fitHeight(); ///< the table as tall as its rows (at least two), no empty area below

    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    std::shared_ptr<const TrainingSetSummary> m_summary;
};

} // namespace poisonlab::ui
