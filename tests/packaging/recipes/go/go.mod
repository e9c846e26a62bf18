module example.com/claim

go 1.19
