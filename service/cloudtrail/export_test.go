package cloudtrail

// SetListTrailsPage sets the ListTrails page size for a test and returns a
// function that restores it.
func SetListTrailsPage(n int) (restore func()) {
	old := listTrailsPage
	listTrailsPage = n
	return func() { listTrailsPage = old }
}
