module runscript.test/race

go 1.19
