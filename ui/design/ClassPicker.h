#pragma once

#include <QComboBox>

#include <memory>

namespace poisonlab::ui {

struct TrainingSetSummary;

/// A class of the training set, each shown with its counts in the split
/// ("sheep — 125 captions, 25 images"). A name the training set does not hold (an opened config
/// naming another dataset's class, or the set still being read) stays selectable, marked, so
/// loading a document never loses it. classEdited() only for the user's choices.
class ClassPicker : public QComboBox {
    Q_OBJECT
public:
    explicit ClassPicker(QWidget *parent = nullptr);

    void setTrainingSet(std::shared_ptr<const TrainingSetSummary> summary);
    QString className() const; ///< empty when none is picked
    void setClassName(const QString &name);

    /// What the list shows for one class of `summary`.
    static QString label(const TrainingSetSummary &summary, const QString &name);

Q_SIGNALS:
    void classEdited(const QString &name);

private:
    void rebuild(const QString &current);

    std::shared_ptr<const TrainingSetSummary> m_summary;
};

} // namespace poisonlab::ui
